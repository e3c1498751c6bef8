// janus_linear_int8: decode-step linear layers over symmetric per-block int8 weights.
// Each thread takes a contiguous run of weight rows, so each int8 byte is read from
// memory once per call; the activation rows (a few dozen KiB) stay in cache.
#include "cpu_features.h"
#include "linear_int8.h"

#include <math.h>

/// Below this many multiply-adds per thread, waking another thread costs more than it saves.
#define MIN_WORK_PER_THREAD (1u << 15)

void janus_quantize_int8_blocks(const void *weight, janus_float_type weight_type, size_t n, size_t k,
                                int8_t *q, float *scales) {
    size_t blocks = k / JANUS_INT8_BLOCK;
    float widened[JANUS_INT8_BLOCK];
    for (size_t row = 0; row < n; row++) {
        for (size_t b = 0; b < blocks; b++) {
            size_t first = row * k + b * JANUS_INT8_BLOCK;
            switch (weight_type) {
            case JANUS_FLOAT_F32:
                for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) widened[i] = ((const float *)weight)[first + i];
                break;
            case JANUS_FLOAT_F16: janus_f16_to_f32((const uint16_t *)weight + first, widened, JANUS_INT8_BLOCK); break;
            case JANUS_FLOAT_BF16: janus_bf16_to_f32((const uint16_t *)weight + first, widened, JANUS_INT8_BLOCK); break;
            }
            float largest = 0;
            for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) largest = fmaxf(largest, fabsf(widened[i]));
            // ±127 (not -128) keeps the grid symmetric, so q * scale never exceeds the block's largest value.
            float scale = largest / 127.0f;
            float inverse = scale > 0 ? 1.0f / scale : 0;
            for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) {
                float scaled = nearbyintf(widened[i] * inverse);
                q[first + i] = (int8_t)fmaxf(-127.0f, fminf(127.0f, scaled));
            }
            scales[row * blocks + b] = scale;
        }
    }
}

void janus_int8_row_portable(const float *x, size_t rows, size_t k, const int8_t *q, const float *scales,
                             float *sums) {
    float lanes[JANUS_INT8_MAX_ROWS_PER_PASS][JANUS_INT8_BLOCK] = {{0}};
    float weights[JANUS_INT8_BLOCK];
    for (size_t b = 0; b < k / JANUS_INT8_BLOCK; b++) {
        for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) weights[i] = (float)q[b * JANUS_INT8_BLOCK + i] * scales[b];
        for (size_t m = 0; m < rows; m++) {
            const float *xs = x + m * k + b * JANUS_INT8_BLOCK;
            for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) lanes[m][i] += xs[i] * weights[i];
        }
    }
    for (size_t m = 0; m < rows; m++) {
        float total = 0;
        for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) total += lanes[m][i];
        sums[m] = total;
    }
}

typedef struct {
    const float *x;
    size_t rows, k, n;
    const int8_t *q;
    const float *scales;
    const float *bias;
    float *out;
    janus_int8_row_kernel kernel;
} int8_job;

static void run_weight_rows(void *context, size_t first, size_t end) {
    const int8_job *job = context;
    size_t blocks = job->k / JANUS_INT8_BLOCK;
    float sums[JANUS_INT8_MAX_ROWS_PER_PASS];
    for (size_t row = first; row < end; row++) {
        for (size_t m0 = 0; m0 < job->rows; m0 += JANUS_INT8_MAX_ROWS_PER_PASS) {
            size_t pass = job->rows - m0 < JANUS_INT8_MAX_ROWS_PER_PASS ? job->rows - m0 : JANUS_INT8_MAX_ROWS_PER_PASS;
            job->kernel(job->x + m0 * job->k, pass, job->k, job->q + row * job->k, job->scales + row * blocks, sums);
            for (size_t m = 0; m < pass; m++)
                job->out[(m0 + m) * job->n + row] = job->bias ? sums[m] + job->bias[row] : sums[m];
        }
    }
}

void janus_linear_int8(const float *x, size_t rows, size_t k, const int8_t *q, const float *scales, size_t n,
                       const float *bias, float *out, size_t threads, janus_isa isa) {
    if (rows == 0 || n == 0) return;
    int8_job job = {
        .x = x, .rows = rows, .k = k, .n = n, .q = q, .scales = scales, .bias = bias, .out = out,
        .kernel = janus_int8_row_portable,
    };
#if JANUS_HAS_X86_VARIANTS
    if (isa == JANUS_ISA_BEST && janus_cpu_has_avx512()) job.kernel = janus_int8_row_avx512;
#endif
    (void)isa;
    size_t work = rows * k * n;
    size_t worth = work / MIN_WORK_PER_THREAD > 0 ? work / MIN_WORK_PER_THREAD : 1;
    if (threads == 0) threads = janus_threads_count();
    janus_parallel_for(n, threads < worth ? threads : worth, run_weight_rows, &job);
}
