// Private to CJanusKernels: the pieces of janus_linear_streaming that differ per
// instruction set. Each provides a "tile": the dot products of up to
// JANUS_TILE_MAX_M activation rows with JANUS_TILE_N weight rows over all of K,
// accumulated in registers so each weight element is loaded once per tile.
#ifndef JANUS_LINEAR_STREAMING_H
#define JANUS_LINEAR_STREAMING_H

#include "janus_kernels.h"

/// Weight rows per tile: each activation load feeds this many FMAs.
#define JANUS_TILE_N 4
/// Activation rows per tile: 6 x 4 accumulators + 4 weights + 1 activation fit the
/// 32 AVX-512 registers. More rows run as several tiles over the same (cached) weights.
#define JANUS_TILE_MAX_M 6

/// sums[m * JANUS_TILE_N + g] = sum over i < k of x[m * x_stride + i] * w_g[i], for
/// m < tile_m, where w_g is weight row g (`weight_type`, any alignment). x is f32, or
/// bf16 for the vdpbf16ps tile. A nonzero `prefetch_ahead` asks the tile to prefetch
/// the bytes that far beyond each row as it reads it (the next tile's rows).
typedef void (*janus_tile_kernel)(const void *x, size_t x_stride, size_t k, size_t tile_m,
                                  const uint8_t *const weight_rows[JANUS_TILE_N],
                                  janus_float_type weight_type, size_t prefetch_ahead, float *sums);

/// Plain C, vectorised by the compiler for baseline x86-64 / aarch64 (and AVX2).
void janus_tile_portable(const void *x, size_t x_stride, size_t k, size_t tile_m,
                         const uint8_t *const weight_rows[JANUS_TILE_N],
                         janus_float_type weight_type, size_t prefetch_ahead, float *sums);
void janus_tile_portable_avx2(const void *x, size_t x_stride, size_t k, size_t tile_m,
                              const uint8_t *const weight_rows[JANUS_TILE_N],
                              janus_float_type weight_type, size_t prefetch_ahead, float *sums);
/// AVX-512: weights widened to f32 in registers, f32 FMAs.
void janus_tile_avx512(const void *x, size_t x_stride, size_t k, size_t tile_m,
                       const uint8_t *const weight_rows[JANUS_TILE_N],
                       janus_float_type weight_type, size_t prefetch_ahead, float *sums);
/// AVX512_BF16: bf16 activations times bf16 weights on vdpbf16ps (bf16 weights only).
void janus_tile_avx512_bf16_dot(const void *x, size_t x_stride, size_t k, size_t tile_m,
                                const uint8_t *const weight_rows[JANUS_TILE_N],
                                janus_float_type weight_type, size_t prefetch_ahead, float *sums);

static inline size_t janus_float_type_size(janus_float_type type) {
    return type == JANUS_FLOAT_F32 ? 4 : 2;
}

#endif
