// AVX-512 row kernel of janus_linear_int8: 32 int8 weights widened to two f32 vectors
// in registers, scaled once per block, then one FMA per activation row.
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl"))), apply_to = function)
#include "linear_int8.h"

static inline __m512 widen16(const int8_t *q, __m512 scale) {
    return _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)q))), scale);
}

void janus_int8_row_avx512(const float *x, size_t rows, size_t k, const int8_t *q, const float *scales,
                           float *sums) {
    __m512 acc[JANUS_INT8_MAX_ROWS_PER_PASS];
    for (size_t m = 0; m < JANUS_INT8_MAX_ROWS_PER_PASS; m++) acc[m] = _mm512_setzero_ps();
    for (size_t b = 0; b < k / JANUS_INT8_BLOCK; b++) {
        const int8_t *block = q + b * JANUS_INT8_BLOCK;
        _mm_prefetch((const char *)block + 1024, _MM_HINT_T0);
        __m512 scale = _mm512_set1_ps(scales[b]);
        __m512 low = widen16(block, scale), high = widen16(block + 16, scale);
        for (size_t m = 0; m < rows; m++) {
            const float *xs = x + m * k + b * JANUS_INT8_BLOCK;
            acc[m] = _mm512_fmadd_ps(_mm512_loadu_ps(xs), low, acc[m]);
            acc[m] = _mm512_fmadd_ps(_mm512_loadu_ps(xs + 16), high, acc[m]);
        }
    }
    for (size_t m = 0; m < rows; m++) sums[m] = _mm512_reduce_add_ps(acc[m]);
}

#pragma clang attribute pop
#endif
