// Private to CJanusKernels: janus_bf16_pair for 16 pairs at once, in AVX-512 registers.
// Include inside a target region that enables AVX-512F/BW.
#ifndef JANUS_BF16_PAIRS_AVX512_H
#define JANUS_BF16_PAIRS_AVX512_H

#include <immintrin.h>

/// 16 bf16 pairs of the 32 floats in `low` (elements 0–15) and `high` (16–31), each
/// rounded to nearest even with NaN kept quiet, exactly as janus_round_bf16: element 2p
/// in the low half of pair p, 2p + 1 in the high half.
static inline __attribute__((always_inline)) __m512i janus_pairs_of_avx512(__m512 low, __m512 high) {
    __m512i halves[2];
    __m512 parts[2] = { low, high };
    for (int h = 0; h < 2; h++) {
        __m512i bits = _mm512_castps_si512(parts[h]);
        __m512i odd = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
        __m512i rounded = _mm512_add_epi32(bits, _mm512_add_epi32(odd, _mm512_set1_epi32(0x7fff)));
        __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(bits, _mm512_set1_epi32(0x7fffffff)),
                                                _mm512_set1_epi32(0x7f800000));
        halves[h] = _mm512_mask_or_epi32(rounded, nan, bits, _mm512_set1_epi32(0x00400000));
    }
    // The high 16 bits of every 32-bit lane, in order.
    __m512i high_words = _mm512_set_epi16(63, 61, 59, 57, 55, 53, 51, 49, 47, 45, 43, 41, 39, 37, 35, 33,
                                          31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    return _mm512_permutex2var_epi16(halves[0], high_words, halves[1]);
}

/// janus_pairs_of_avx512 of 32 consecutive floats (fewer under `mask`, the rest zero).
static inline __attribute__((always_inline)) __m512i janus_load_pairs_avx512(const float *x, __mmask32 mask) {
    return janus_pairs_of_avx512(_mm512_maskz_loadu_ps((__mmask16)mask, x),
                                 _mm512_maskz_loadu_ps((__mmask16)(mask >> 16), x + 16));
}

#endif
