// AVX-512 kernel of janus_linear_int8 with exact f32 products (JANUS_COMPUTE_F32). One
// 64-byte step of the packed layout holds 4 consecutive K values of 16 weight rows;
// each quarter (16 bytes: rows 4c...4c+3) widens to one f32 vector, is scaled, and then
// feeds one FMA per activation row against those 4 activations repeated 4 times. The
// accumulator lanes hold (row, K mod 4) partial sums, added up once at the end.
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl"))), apply_to = function)
#include "linear_int8.h"

#define INT8_INLINE static inline __attribute__((always_inline))

/// The block's 16 bf16 scales as f32, spread so that lane l of quarter c gets row 4c + l/4.
INT8_INLINE void load_quarter_scales(const uint16_t *scales, __m512 quarter[4]) {
    __m512 all = _mm512_castsi512_ps(
        _mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)scales)), 16));
    for (int c = 0; c < 4; c++) {
        __m512i rows = _mm512_add_epi32(_mm512_set1_epi32(4 * c),
                                        _mm512_srli_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 2));
        quarter[c] = _mm512_permutexvar_ps(rows, all);
    }
}

/// 16 packed bytes u = q + 128 as f32 weights q * scale, computed as u * scale - 128 * scale
/// in one FMA: exact, since both products and the result fit f32's 24 bits.
INT8_INLINE __m512 widen_quarter(const uint8_t *bytes, __m512 scale, __m512 minus_128_scale) {
    __m512 u = _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)bytes)));
    return _mm512_fmadd_ps(u, scale, minus_128_scale);
}

INT8_INLINE void f32_kernel(size_t rows, const float *x, size_t x_stride, size_t k, const uint8_t *values,
                            const uint16_t *scales, float *sums) {
    __m512 acc[JANUS_INT8_F32_MAX_ROWS][4];
    for (size_t m = 0; m < rows; m++)
        for (int c = 0; c < 4; c++) acc[m][c] = _mm512_setzero_ps();
    for (size_t b = 0; b < k / JANUS_INT8_BLOCK; b++) {
        const uint8_t *block = values + b * JANUS_INT8_GROUP_BLOCK_BYTES;
        __m512 scale[4], minus_128_scale[4];
        load_quarter_scales(scales + b * JANUS_INT8_GROUP, scale);
        _mm_prefetch((const char *)(scales + b * JANUS_INT8_GROUP) + JANUS_INT8_PREFETCH_AHEAD / 16, _MM_HINT_T1);
        for (int c = 0; c < 4; c++) minus_128_scale[c] = _mm512_mul_ps(scale[c], _mm512_set1_ps(-128.0f));
        for (size_t t = 0; t < JANUS_INT8_STEPS; t++) {
            const uint8_t *step = block + t * 4 * JANUS_INT8_GROUP;
            _mm_prefetch((const char *)step + JANUS_INT8_PREFETCH_AHEAD, _MM_HINT_T1);
            __m512 w[4];
            for (int c = 0; c < 4; c++) w[c] = widen_quarter(step + 16 * c, scale[c], minus_128_scale[c]);
            for (size_t m = 0; m < rows; m++) {
                __m512 xv = _mm512_broadcast_f32x4(_mm_loadu_ps(x + m * x_stride + b * JANUS_INT8_BLOCK + 4 * t));
                for (int c = 0; c < 4; c++) acc[m][c] = _mm512_fmadd_ps(xv, w[c], acc[m][c]);
            }
        }
    }
    for (size_t m = 0; m < rows; m++) {
        for (int c = 0; c < 4; c++) {
            float lanes[16];
            _mm512_storeu_ps(lanes, acc[m][c]);
            for (int r = 0; r < 4; r++)
                sums[m * JANUS_INT8_GROUP + 4 * c + r] =
                    (lanes[4 * r] + lanes[4 * r + 1]) + (lanes[4 * r + 2] + lanes[4 * r + 3]);
        }
    }
}

void janus_int8_dequantize_groups_avx512(const uint8_t *values, const uint16_t *scales, size_t k, size_t groups,
                                         float *out) {
    size_t blocks = k / JANUS_INT8_BLOCK;
    for (size_t g = 0; g < groups; g++) {
        for (size_t b = 0; b < blocks; b++) {
            const uint8_t *block = values + (g * blocks + b) * JANUS_INT8_GROUP_BLOCK_BYTES;
            __m512 scale[4], minus_128_scale[4];
            load_quarter_scales(scales + (g * blocks + b) * JANUS_INT8_GROUP, scale);
            for (int c = 0; c < 4; c++) minus_128_scale[c] = _mm512_mul_ps(scale[c], _mm512_set1_ps(-128.0f));
            // The block goes through a 16 x 32 tile in L1 first: written straight to 16 rows
            // K floats apart, its 16-byte pieces would all fall in one L1 set.
            float tile[JANUS_INT8_GROUP][JANUS_INT8_BLOCK] __attribute__((aligned(64)));
            for (size_t t = 0; t < JANUS_INT8_STEPS; t++) {
                for (int c = 0; c < 4; c++) {
                    // Lanes 4r...4r+3 are K values 4t...4t+3 of the group's row 4c + r.
                    __m512 w = widen_quarter(block + t * 4 * JANUS_INT8_GROUP + 16 * c, scale[c], minus_128_scale[c]);
                    _mm_store_ps(&tile[4 * c][4 * t], _mm512_castps512_ps128(w));
                    _mm_store_ps(&tile[4 * c + 1][4 * t], _mm512_extractf32x4_ps(w, 1));
                    _mm_store_ps(&tile[4 * c + 2][4 * t], _mm512_extractf32x4_ps(w, 2));
                    _mm_store_ps(&tile[4 * c + 3][4 * t], _mm512_extractf32x4_ps(w, 3));
                }
            }
            for (size_t j = 0; j < JANUS_INT8_GROUP; j++) {
                float *row = out + (g * JANUS_INT8_GROUP + j) * k + b * JANUS_INT8_BLOCK;
                _mm512_storeu_ps(row, _mm512_load_ps(tile[j]));
                _mm512_storeu_ps(row + 16, _mm512_load_ps(tile[j] + 16));
            }
        }
    }
}

void janus_int8_f32_avx512(const float *x, size_t x_stride, size_t rows, size_t k, const uint8_t *values,
                           const uint16_t *scales, float *sums) {
    switch (rows) {
    case 1: f32_kernel(1, x, x_stride, k, values, scales, sums); break;
    case 2: f32_kernel(2, x, x_stride, k, values, scales, sums); break;
    case 3: f32_kernel(3, x, x_stride, k, values, scales, sums); break;
    case 4: f32_kernel(4, x, x_stride, k, values, scales, sums); break;
    case 5: f32_kernel(5, x, x_stride, k, values, scales, sums); break;
    default: f32_kernel(JANUS_INT8_F32_MAX_ROWS, x, x_stride, k, values, scales, sums); break;
    }
}

#pragma clang attribute pop
#endif
