// AVX512_BF16 pieces of janus_attention_bf16: the 12 × 32 pair tile (24 accumulators,
// one broadcast query pair feeding two vdpbf16ps) and the vectorised row softmax, which
// leaves its probabilities as the bf16 pairs of the PV product.
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <math.h>
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))), apply_to = function)
#include "attention_bf16.h"
#include "simd_math_avx512.h"
#include "bf16_pairs_avx512.h"

void janus_pair_tile_avx512_bf16(const uint32_t *a, size_t lda, const uint32_t *b, size_t ldb, size_t pairs,
                                 size_t rows, size_t columns, float *out, size_t ldc) {
    __m512 acc[PAIR_TILE_ROWS][2];
    const uint32_t *row[PAIR_TILE_ROWS];
    for (size_t m = 0; m < PAIR_TILE_ROWS; m++) {
        acc[m][0] = acc[m][1] = _mm512_setzero_ps();
        row[m] = a + (m < rows ? m : 0) * lda;  // missing rows repeat row 0, never stored
    }
    for (size_t j = 0; j < pairs; j++) {
        __m512bh b0 = (__m512bh)_mm512_loadu_si512(b + j * ldb), b1 = (__m512bh)_mm512_loadu_si512(b + j * ldb + 16);
        for (size_t m = 0; m < PAIR_TILE_ROWS; m++) {
            __m512bh x = (__m512bh)_mm512_set1_epi32((int)row[m][j]);
            acc[m][0] = _mm512_dpbf16_ps(acc[m][0], x, b0);
            acc[m][1] = _mm512_dpbf16_ps(acc[m][1], x, b1);
        }
    }
    __mmask16 low = (__mmask16)(columns >= 16 ? 0xffff : (1u << columns) - 1);
    __mmask16 high = (__mmask16)(columns <= 16 ? 0 : columns >= 32 ? 0xffff : (1u << (columns - 16)) - 1);
    for (size_t m = 0; m < PAIR_TILE_ROWS; m++) {
        if (m >= rows) break;
        _mm512_mask_storeu_ps(out + m * ldc, low, acc[m][0]);
        _mm512_mask_storeu_ps(out + m * ldc + 16, high, acc[m][1]);
    }
}

void janus_softmax_row_to_pairs_avx512(float *row, size_t visible, size_t pair_count, float scale, uint32_t *pairs) {
    __m512 factor = _mm512_set1_ps(scale), max = _mm512_set1_ps(-INFINITY);
    for (size_t i = 0; i < visible; i += 16) {
        __mmask16 mask = (__mmask16)(visible - i >= 16 ? 0xffff : (1u << (visible - i)) - 1);
        __m512 x = _mm512_mul_ps(_mm512_maskz_loadu_ps(mask, row + i), factor);
        _mm512_mask_storeu_ps(row + i, mask, x);
        max = _mm512_mask_max_ps(max, mask, max, x);
    }
    __m512 peak = _mm512_set1_ps(_mm512_reduce_max_ps(max)), sum = _mm512_setzero_ps();
    for (size_t i = 0; i < visible; i += 16) {
        __mmask16 mask = (__mmask16)(visible - i >= 16 ? 0xffff : (1u << (visible - i)) - 1);
        __m512 e = janus_exp_avx512(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, row + i), peak));
        e = _mm512_maskz_mov_ps(mask, e);
        _mm512_mask_storeu_ps(row + i, mask, e);
        sum = _mm512_add_ps(sum, e);
    }
    // Normalised and rounded to bf16 pairs in one pass; keys past `visible` read as 0.
    __m512 inverse = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
    for (size_t p = 0; p < pair_count; p += 16) {
        size_t i = 2 * p, left = visible > i ? visible - i : 0;
        __mmask32 mask = left >= 32 ? ~(__mmask32)0 : ((__mmask32)1 << left) - 1;
        __m512 low = _mm512_mul_ps(_mm512_maskz_loadu_ps((__mmask16)mask, row + i), inverse);
        __m512 high = _mm512_mul_ps(_mm512_maskz_loadu_ps((__mmask16)(mask >> 16), row + i + 16), inverse);
        __mmask16 stored = (__mmask16)(pair_count - p >= 16 ? 0xffff : (1u << (pair_count - p)) - 1);
        _mm512_mask_storeu_epi32(pairs + p, stored, janus_pairs_of_avx512(low, high));
    }
}

#pragma clang attribute pop
#endif
