// AVX512_VNNI kernel of janus_linear_int8 for quantised activations (JANUS_COMPUTE_BF16).
// vpdpbusd multiplies the 64 bytes of one packed step (4 K values of 16 weight rows,
// stored as q + 128) by 4 activation bytes broadcast to every lane and adds each lane's
// 4 products into an int32: after the block's 8 steps, lane j holds row j's exact dot
// product. Each int32 sum starts at -128 * sum(x q), which removes the +128 of the
// weights, and is then scaled by (weight scale * activation scale) into an f32 sum.
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"))), apply_to = function)
#include "linear_int8.h"

#include <string.h>

#define INT8_INLINE static inline __attribute__((always_inline))

INT8_INLINE __m512i broadcast4(const int8_t *bytes) {
    int32_t word;
    memcpy(&word, bytes, sizeof word);
    return _mm512_set1_epi32(word);  // becomes vpdpbusd's {1to16} memory operand
}

INT8_INLINE void q8_kernel(size_t rows, const janus_q8_rows *x, size_t first_row, const uint8_t *values,
                           const uint16_t *scales, float *sums) {
    size_t k = x->k, blocks = k / JANUS_INT8_BLOCK;
    const int8_t *xs = x->values + first_row * k;
    const float *x_scales = x->scales + first_row * blocks;
    const int32_t *offsets = x->offsets + first_row * blocks;
    __m512 acc[JANUS_INT8_Q8_MAX_ROWS];
    for (size_t m = 0; m < rows; m++) acc[m] = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; b++) {
        const uint8_t *block = values + b * JANUS_INT8_GROUP_BLOCK_BYTES;
        _mm_prefetch((const char *)block + 2048, _MM_HINT_T0);
        _mm_prefetch((const char *)block + 2048 + 64 * 4, _MM_HINT_T0);
        __m512i dots[JANUS_INT8_Q8_MAX_ROWS];
        for (size_t m = 0; m < rows; m++) dots[m] = _mm512_set1_epi32(offsets[m * blocks + b]);
        for (size_t t = 0; t < JANUS_INT8_STEPS; t++) {
            __m512i w = _mm512_loadu_si512(block + t * 4 * JANUS_INT8_GROUP);
            for (size_t m = 0; m < rows; m++)
                dots[m] = _mm512_dpbusd_epi32(dots[m], w, broadcast4(xs + m * k + b * JANUS_INT8_BLOCK + 4 * t));
        }
        __m512 w_scale = _mm512_castsi512_ps(_mm512_slli_epi32(
            _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(scales + b * JANUS_INT8_GROUP))), 16));
        for (size_t m = 0; m < rows; m++) {
            __m512 scale = _mm512_mul_ps(w_scale, _mm512_set1_ps(x_scales[m * blocks + b]));
            acc[m] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots[m]), scale, acc[m]);
        }
    }
    for (size_t m = 0; m < rows; m++) _mm512_storeu_ps(sums + m * JANUS_INT8_GROUP, acc[m]);
}

void janus_int8_q8_vnni(const janus_q8_rows *x, size_t first_row, size_t rows, const uint8_t *values,
                        const uint16_t *scales, float *sums) {
    switch (rows) {
    case 1: q8_kernel(1, x, first_row, values, scales, sums); break;
    case 2: q8_kernel(2, x, first_row, values, scales, sums); break;
    case 3: q8_kernel(3, x, first_row, values, scales, sums); break;
    case 4: q8_kernel(4, x, first_row, values, scales, sums); break;
    case 5: q8_kernel(5, x, first_row, values, scales, sums); break;
    case 6: q8_kernel(6, x, first_row, values, scales, sums); break;
    case 7: q8_kernel(7, x, first_row, values, scales, sums); break;
    default: q8_kernel(JANUS_INT8_Q8_MAX_ROWS, x, first_row, values, scales, sums); break;
    }
}

#pragma clang attribute pop
#endif
