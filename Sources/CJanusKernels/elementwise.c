#include "janus_kernels.h"
#include "cpu_features.h"
#include "elementwise_simd.h"

#include <math.h>

typedef enum { BINARY_ADD, BINARY_MUL } binary_op;

/// out[i] = a[i] op b[i % b_count], walked as count / b_count chunks so the inner loop
/// is a plain contiguous loop. `op` is constant at each call site and folds away.
static inline __attribute__((always_inline)) void repeating_binary(const float *a, const float *b,
                                                                   float *out, size_t count,
                                                                   size_t b_count, binary_op op) {
    if (b_count == 0) return;
    for (size_t start = 0; start < count; start += b_count) {
        const float *chunk = a + start;
        float *result = out + start;
        for (size_t i = 0; i < b_count; i++)
            result[i] = op == BINARY_ADD ? chunk[i] + b[i] : chunk[i] * b[i];
    }
}

void janus_add(const float *a, const float *b, float *out, size_t count, size_t b_count) {
    repeating_binary(a, b, out, count, b_count, BINARY_ADD);
}

void janus_mul(const float *a, const float *b, float *out, size_t count, size_t b_count) {
    repeating_binary(a, b, out, count, b_count, BINARY_MUL);
}

void janus_scale(const float *x, float factor, float *out, size_t count) {
    for (size_t i = 0; i < count; i++) out[i] = x[i] * factor;
}

static inline float silu(float x) { return x / (1.0f + expf(-x)); }

/// Below this many elements per thread, a wake-up costs more than the work.
#define ELEMENTWISE_CHUNK (1u << 16)

typedef struct { const float *a, *b; float *out; int simd; } unary_job;

void janus_silu_serial(const float *x, float *out, size_t count) {
#if JANUS_HAS_X86_VARIANTS
    if (janus_cpu_has_avx512()) { janus_silu_avx512(x, out, count); return; }
#endif
    for (size_t i = 0; i < count; i++) out[i] = silu(x[i]);
}

static void silu_range(void *context, size_t begin, size_t end) {
    const unary_job *job = context;
    janus_silu_serial(job->a + begin, job->out + begin, end - begin);
}

static void swiglu_range(void *context, size_t begin, size_t end) {
    const unary_job *job = context;
#if JANUS_HAS_X86_VARIANTS
    if (job->simd) { janus_swiglu_avx512(job->a + begin, job->b + begin, job->out + begin, end - begin); return; }
#endif
    for (size_t i = begin; i < end; i++) job->out[i] = silu(job->a[i]) * job->b[i];
}

static size_t elementwise_threads(size_t count) {
    size_t worth = count / ELEMENTWISE_CHUNK, threads = janus_threads_count();
    return worth == 0 ? 1 : worth < threads ? worth : threads;
}

void janus_silu(const float *x, float *out, size_t count) {
    unary_job job = { .a = x, .out = out };
    janus_parallel_for(count, elementwise_threads(count), silu_range, &job);
}

void janus_swiglu(const float *gate, const float *up, float *out, size_t count) {
    unary_job job = { .a = gate, .b = up, .out = out, .simd = janus_cpu_has_avx512() };
    janus_parallel_for(count, elementwise_threads(count), swiglu_range, &job);
}

static void gelu_erf_range(void *context, size_t begin, size_t end) {
    const unary_job *job = context;
#if JANUS_HAS_X86_VARIANTS
    if (job->simd) { janus_gelu_erf_avx512(job->a + begin, job->out + begin, end - begin); return; }
#endif
    const float inverse_sqrt2 = (float)M_SQRT1_2;
    for (size_t i = begin; i < end; i++) job->out[i] = job->a[i] * 0.5f * (1.0f + erff(job->a[i] * inverse_sqrt2));
}

void janus_gelu_erf(const float *x, float *out, size_t count) {
    unary_job job = { .a = x, .out = out, .simd = janus_cpu_has_avx512() };
    janus_parallel_for(count, elementwise_threads(count), gelu_erf_range, &job);
}

void janus_gelu_tanh(const float *x, float *out, size_t count) {
    // Constants and operation order as in ATen's GeluKernel (tanh approximation).
    const float beta = (float)(M_SQRT2 * M_2_SQRTPI * 0.5);
    const float kappa = 0.044715f;
    for (size_t i = 0; i < count; i++) {
        float v = x[i];
        float cube = v * v * v;
        float inner = beta * (v + kappa * cube);
        out[i] = 0.5f * v * (1.0f + tanhf(inner));
    }
}
