// Private to CJanusKernels: the AVX-512 register tile, written once and compiled by two
// files under different target attributes: linear_tile_avx512.c (AVX-512F/BW/VL, f32
// products) and linear_tile_avx512_bf16.c (adds AVX512_BF16 for vdpbf16ps). Only the
// latter defines TILE_WITH_BF16_DOT, so vdpbf16ps never appears in code that runs on a
// CPU without it. Each includer opens its target region before including this file.
#ifndef JANUS_LINEAR_TILE_AVX512_H
#define JANUS_LINEAR_TILE_AVX512_H

#include "linear_streaming.h"

#include <immintrin.h>

#define TILE_INLINE static inline __attribute__((always_inline))

/// What one step multiplies: f32 activations with weights widened to f32 (exact), or
/// bf16 activations with bf16 weights in pairs (vdpbf16ps).
typedef enum { TILE_F32_PRODUCTS, TILE_BF16_DOT } tile_products;

/// K elements consumed per step: one register of f32, or of bf16 pairs.
TILE_INLINE size_t tile_step(tile_products products) { return products == TILE_BF16_DOT ? 32 : 16; }

/// The bits of the first `count` (< step) elements of a step; all ones for a full step.
TILE_INLINE __mmask32 tile_mask(size_t count) { return count >= 32 ? ~(__mmask32)0 : ((__mmask32)1 << count) - 1; }

/// One step of a weight row: `mask` selects the valid elements, the rest read as zero.
/// bf16 -> f32 is a 16-bit shift (exact); f16 uses the F16C-style conversion (exact).
TILE_INLINE __m512 tile_load_weights(tile_products products, janus_float_type type,
                                     const uint8_t *row, size_t i, __mmask32 mask) {
    if (products == TILE_BF16_DOT) return _mm512_castsi512_ps(_mm512_maskz_loadu_epi16(mask, row + 2 * i));
    switch (type) {
    case JANUS_FLOAT_F32: return _mm512_maskz_loadu_ps((__mmask16)mask, row + 4 * i);
    case JANUS_FLOAT_F16: return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16((__mmask16)mask, row + 2 * i));
    case JANUS_FLOAT_BF16:
    default: {
        __m512i widened = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16((__mmask16)mask, row + 2 * i));
        return _mm512_castsi512_ps(_mm512_slli_epi32(widened, 16));
    }
    }
}

TILE_INLINE __m512 tile_load_activations(tile_products products, const void *row, size_t i, __mmask32 mask) {
    if (products == TILE_BF16_DOT)
        return _mm512_castsi512_ps(_mm512_maskz_loadu_epi16(mask, (const uint16_t *)row + i));
    return _mm512_maskz_loadu_ps((__mmask16)mask, (const float *)row + i);
}

TILE_INLINE __m512 tile_multiply_add(tile_products products, __m512 acc, __m512 x, __m512 w) {
#ifdef TILE_WITH_BF16_DOT
    if (products == TILE_BF16_DOT) return _mm512_dpbf16_ps(acc, (__m512bh)x, (__m512bh)w);
#endif
    (void)products;
    return _mm512_fmadd_ps(x, w, acc);
}

/// Asks for the cache line `ahead` bytes beyond weight element i of each row, once per
/// line. Rows of a bf16 [.., 2048] weight are exactly one 4 KiB page, and hardware
/// prefetchers stop at page boundaries: without this, each tile's first lines per row
/// arrive at full memory latency.
TILE_INLINE void tile_prefetch(tile_products products, janus_float_type type,
                               const uint8_t *const rows[JANUS_TILE_N], size_t i, size_t ahead) {
    size_t size = products == TILE_BF16_DOT || type != JANUS_FLOAT_F32 ? 2 : 4;
    if (ahead == 0 || (i * size) % 64 != 0) return;
    for (size_t g = 0; g < JANUS_TILE_N; g++) _mm_prefetch((const char *)rows[g] + ahead + i * size, _MM_HINT_T1);
}

/// acc[m][g] += x_m[i...] * w_g[i...] for one step. Every weight register is reused by
/// `tile_m` FMAs and every activation register by JANUS_TILE_N.
TILE_INLINE void tile_accumulate_step(tile_products products, janus_float_type type, size_t tile_m,
                                      const void *x, size_t x_stride,
                                      const uint8_t *const rows[JANUS_TILE_N], size_t i, __mmask32 mask,
                                      __m512 acc[JANUS_TILE_MAX_M][JANUS_TILE_N]) {
    size_t x_size = products == TILE_BF16_DOT ? 2 : 4;
    __m512 w[JANUS_TILE_N];
    for (size_t g = 0; g < JANUS_TILE_N; g++) w[g] = tile_load_weights(products, type, rows[g], i, mask);
    for (size_t m = 0; m < tile_m; m++) {
        __m512 xv = tile_load_activations(products, (const uint8_t *)x + m * x_stride * x_size, i, mask);
        for (size_t g = 0; g < JANUS_TILE_N; g++) acc[m][g] = tile_multiply_add(products, acc[m][g], xv, w[g]);
    }
}

/// The whole tile. `products`, `type` and `tile_m` are constants at every call site, so
/// the loops unroll and `acc` lives in registers.
TILE_INLINE void tile_run(tile_products products, janus_float_type type, size_t tile_m,
                          const void *x, size_t x_stride, size_t k,
                          const uint8_t *const rows[JANUS_TILE_N], size_t prefetch_ahead, float *sums) {
    __m512 acc[JANUS_TILE_MAX_M][JANUS_TILE_N];
    for (size_t m = 0; m < tile_m; m++)
        for (size_t g = 0; g < JANUS_TILE_N; g++) acc[m][g] = _mm512_setzero_ps();
    size_t step = tile_step(products), i = 0;
    for (; i + step <= k; i += step) {
        tile_prefetch(products, type, rows, i, prefetch_ahead);
        tile_accumulate_step(products, type, tile_m, x, x_stride, rows, i, tile_mask(32), acc);
    }
    if (i < k) tile_accumulate_step(products, type, tile_m, x, x_stride, rows, i, tile_mask(k - i), acc);
    for (size_t m = 0; m < tile_m; m++)
        for (size_t g = 0; g < JANUS_TILE_N; g++) sums[m * JANUS_TILE_N + g] = _mm512_reduce_add_ps(acc[m][g]);
}

/// Expands to a switch on the runtime tile height, one specialised tile per height.
#define TILE_DISPATCH_ROWS(products, type, tile_m, x, x_stride, k, rows, ahead, sums)      \
    switch (tile_m) {                                                               \
    case 1: tile_run(products, type, 1, x, x_stride, k, rows, ahead, sums); break;         \
    case 2: tile_run(products, type, 2, x, x_stride, k, rows, ahead, sums); break;         \
    case 3: tile_run(products, type, 3, x, x_stride, k, rows, ahead, sums); break;         \
    case 4: tile_run(products, type, 4, x, x_stride, k, rows, ahead, sums); break;         \
    case 5: tile_run(products, type, 5, x, x_stride, k, rows, ahead, sums); break;         \
    default: tile_run(products, type, JANUS_TILE_MAX_M, x, x_stride, k, rows, ahead, sums); break; \
    }

#endif
