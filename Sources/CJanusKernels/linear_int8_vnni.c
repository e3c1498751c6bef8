// AVX512_VNNI kernel of janus_linear_int8 for activations in two int8 parts
// (JANUS_COMPUTE_BF16). vpdpbusd multiplies the 64 bytes of one packed step (4 K values
// of 16 weight rows, stored as q + 128) by 4 activation bytes broadcast to every lane and
// adds each lane's 4 products into an int32: after a block's 8 steps, lane j holds row
// j's dot product with the high part. That sum is multiplied by 128 and the low part's 8
// steps added on top; starting from the row's offset (linear_int8.h) leaves the block's
// exact dot product in units of scale / 128, which one FMA scales into an f32 sum.
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

/// dots[m] += the 8 steps of one block against 32 activation bytes of each row; with
/// `prefetch`, asks for each step's line JANUS_INT8_PREFETCH_AHEAD bytes further on.
INT8_INLINE void accumulate_block(size_t rows, const uint8_t *block, const int8_t *x, size_t k, int prefetch,
                                  __m512i dots[JANUS_INT8_DOT_MAX_ROWS]) {
    for (size_t t = 0; t < JANUS_INT8_STEPS; t++) {
        __m512i w = _mm512_loadu_si512(block + t * 4 * JANUS_INT8_GROUP);
        if (prefetch) _mm_prefetch((const char *)block + t * 4 * JANUS_INT8_GROUP + JANUS_INT8_PREFETCH_AHEAD, _MM_HINT_T1);
        for (size_t m = 0; m < rows; m++) dots[m] = _mm512_dpbusd_epi32(dots[m], w, broadcast4(x + m * k + 4 * t));
    }
}

INT8_INLINE void dot_kernel(size_t rows, const janus_int8_activations *x, size_t first_row, const uint8_t *values,
                            const uint16_t *scales, float *sums) {
    size_t k = x->k, blocks = k / JANUS_INT8_BLOCK;
    const int8_t *high = x->high + first_row * k, *low = x->low + first_row * k;
    const float *x_scales = x->scales + first_row * blocks;
    const int32_t *offsets = x->offsets + first_row * blocks;
    __m512 acc[JANUS_INT8_DOT_MAX_ROWS];
    for (size_t m = 0; m < rows; m++) acc[m] = _mm512_setzero_ps();
    for (size_t b = 0; b < blocks; b++) {
        const uint8_t *block = values + b * JANUS_INT8_GROUP_BLOCK_BYTES;
        _mm_prefetch((const char *)(scales + b * JANUS_INT8_GROUP) + JANUS_INT8_PREFETCH_AHEAD / 16, _MM_HINT_T1);
        __m512i dots[JANUS_INT8_DOT_MAX_ROWS];
        for (size_t m = 0; m < rows; m++) dots[m] = _mm512_set1_epi32(offsets[m * blocks + b]);
        accumulate_block(rows, block, high + b * JANUS_INT8_BLOCK, k, 1, dots);
        for (size_t m = 0; m < rows; m++) dots[m] = _mm512_slli_epi32(dots[m], 7);
        accumulate_block(rows, block, low + b * JANUS_INT8_BLOCK, k, 0, dots);
        __m512 w_scale = _mm512_castsi512_ps(_mm512_slli_epi32(
            _mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)(scales + b * JANUS_INT8_GROUP))), 16));
        for (size_t m = 0; m < rows; m++) {
            __m512 scale = _mm512_mul_ps(w_scale, _mm512_set1_ps(x_scales[m * blocks + b]));
            acc[m] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dots[m]), scale, acc[m]);
        }
    }
    for (size_t m = 0; m < rows; m++) _mm512_storeu_ps(sums + m * JANUS_INT8_GROUP, acc[m]);
}

void janus_int8_dot_vnni(const janus_int8_activations *x, size_t first_row, size_t rows, const uint8_t *values,
                         const uint16_t *scales, float *sums) {
    switch (rows) {
    case 1: dot_kernel(1, x, first_row, values, scales, sums); break;
    case 2: dot_kernel(2, x, first_row, values, scales, sums); break;
    case 3: dot_kernel(3, x, first_row, values, scales, sums); break;
    case 4: dot_kernel(4, x, first_row, values, scales, sums); break;
    case 5: dot_kernel(5, x, first_row, values, scales, sums); break;
    case 6: dot_kernel(6, x, first_row, values, scales, sums); break;
    case 7: dot_kernel(7, x, first_row, values, scales, sums); break;
    default: dot_kernel(JANUS_INT8_DOT_MAX_ROWS, x, first_row, values, scales, sums); break;
    }
}

#pragma clang attribute pop
#endif
