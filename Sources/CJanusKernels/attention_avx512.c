// The AVX-512 variants of the few-queries attention unit: the dot products reduce with
// one shuffle tree per score instead of a chain of scalar adds. bf16 keys/values are
// widened in registers (a zero-extension and a 16-bit shift, exact).
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl"))), apply_to = function)

#include "janus_kernels.h"

static inline __attribute__((always_inline)) __mmask16 tail_mask(size_t count) {
    return (__mmask16)((1u << count) - 1);
}

/// Elements i ... i+15 of a cached row (those under `mask`; the rest read as zero) as f32.
static inline __attribute__((always_inline)) __m512 load_kv(janus_float_type kv_type, const void *row, size_t i,
                                                            __mmask16 mask) {
    if (kv_type == JANUS_FLOAT_BF16) {
        __m512i widened = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(mask, (const uint16_t *)row + i));
        return _mm512_castsi512_ps(_mm512_slli_epi32(widened, 16));
    }
    return _mm512_maskz_loadu_ps(mask, (const float *)row + i);
}

static inline __attribute__((always_inline)) float attention_dot(janus_float_type kv_type, const float *q,
                                                                 const void *k, size_t n) {
    __m512 even = _mm512_setzero_ps(), odd = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        even = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), load_kv(kv_type, k, i, 0xffff), even);
        odd = _mm512_fmadd_ps(_mm512_loadu_ps(q + i + 16), load_kv(kv_type, k, i + 16, 0xffff), odd);
    }
    for (; i < n; i += 16) {
        __mmask16 mask = n - i >= 16 ? (__mmask16)0xffff : tail_mask(n - i);
        even = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, q + i), load_kv(kv_type, k, i, mask), even);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(even, odd));
}

static inline __attribute__((always_inline)) void attention_accumulate(janus_float_type kv_type, float *out,
                                                                       float weight, const void *v, size_t n) {
    __m512 w = _mm512_set1_ps(weight);
    for (size_t d = 0; d < n; d += 16) {
        __mmask16 mask = n - d >= 16 ? (__mmask16)0xffff : tail_mask(n - d);
        __m512 sum = _mm512_fmadd_ps(w, load_kv(kv_type, v, d, mask), _mm512_maskz_loadu_ps(mask, out + d));
        _mm512_mask_storeu_ps(out + d, mask, sum);
    }
}

#include "attention_few_queries.h"

void janus_attend_avx512(const void *job, size_t index) { attend_unit(job, index, JANUS_FLOAT_F32); }
void janus_attend_avx512_bf16_kv(const void *job, size_t index) { attend_unit(job, index, JANUS_FLOAT_BF16); }

#pragma clang attribute pop
#endif
