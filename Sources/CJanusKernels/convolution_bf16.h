// Private to CJanusKernels: the register tile of janus_conv_bf16, one per instruction set.
#ifndef JANUS_CONVOLUTION_BF16_H
#define JANUS_CONVOLUTION_BF16_H

#include "janus_kernels.h"

/// Output channels per tile: each broadcast weight pair feeds CONV_TILE_VECTORS vdpbf16ps.
#define CONV_TILE_CHANNELS 8
/// Output pixels per tile (one output row): 3 registers of 16 f32 lanes.
#define CONV_TILE_VECTORS 3
#define CONV_TILE_PIXELS (16 * CONV_TILE_VECTORS)

/// out[m * out_stride + l] = bias[m] + sum over steps s = (pair, ky, kx) of the bf16 pair
/// products a[s * CONV_TILE_CHANNELS + m] · b[pair * plane + ky * row_stride + kx + l],
/// for m < channels and l < pixels (only those are stored; the tile always computes the
/// full CONV_TILE_CHANNELS × CONV_TILE_PIXELS); with `accumulate`, the previous value of
/// out[m * out_stride + l] is added last. Each uint32 holds two bf16 values of
/// consecutive input channels. `bias` is f32 or NULL.
typedef void (*janus_conv_tile_kernel)(const uint32_t *a, size_t pairs, size_t kernel_h, size_t kernel_w,
                                       const uint32_t *b, size_t plane, size_t row_stride,
                                       const float *bias, size_t channels, size_t pixels,
                                       float *out, size_t out_stride, int accumulate);

void janus_conv_tile_portable(const uint32_t *a, size_t pairs, size_t kernel_h, size_t kernel_w,
                              const uint32_t *b, size_t plane, size_t row_stride,
                              const float *bias, size_t channels, size_t pixels,
                              float *out, size_t out_stride, int accumulate);
void janus_conv_tile_avx512_bf16(const uint32_t *a, size_t pairs, size_t kernel_h, size_t kernel_w,
                                 const uint32_t *b, size_t plane, size_t row_stride,
                                 const float *bias, size_t channels, size_t pixels,
                                 float *out, size_t out_stride, int accumulate);

#endif
