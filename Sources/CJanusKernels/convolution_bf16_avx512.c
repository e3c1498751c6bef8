// The AVX512_BF16 tile of janus_conv_bf16: 8 output channels × 48 pixels in 24
// accumulators; per (channel pair, ky, kx) step, three loads of pixel pairs and one
// broadcast weight pair per channel feed 24 vdpbf16ps. No horizontal sums.
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))), apply_to = function)
#include "convolution_bf16.h"

#define CONV_INLINE static inline __attribute__((always_inline))

CONV_INLINE void conv_step(const uint32_t *a, const uint32_t *row,
                           __m512 acc[CONV_TILE_CHANNELS][CONV_TILE_VECTORS]) {
    __m512bh b[CONV_TILE_VECTORS];
    for (size_t v = 0; v < CONV_TILE_VECTORS; v++) b[v] = (__m512bh)_mm512_loadu_si512(row + 16 * v);
    for (size_t m = 0; m < CONV_TILE_CHANNELS; m++) {
        __m512bh w = (__m512bh)_mm512_set1_epi32((int)a[m]);
        for (size_t v = 0; v < CONV_TILE_VECTORS; v++) acc[m][v] = _mm512_dpbf16_ps(acc[m][v], w, b[v]);
    }
}

/// The step loops with the kernel size known at compile time (3×3 and 1×1 are the
/// convolutions of the VQ and VAE decoders), so the tap loops unroll.
CONV_INLINE void conv_steps(const uint32_t *a, size_t pairs, size_t kernel_h, size_t kernel_w,
                            const uint32_t *b, size_t plane, size_t row_stride,
                            __m512 acc[CONV_TILE_CHANNELS][CONV_TILE_VECTORS]) {
    for (size_t pair = 0; pair < pairs; pair++)
        for (size_t ky = 0; ky < kernel_h; ky++) {
            const uint32_t *row = b + pair * plane + ky * row_stride;
            _mm_prefetch((const char *)(row + plane), _MM_HINT_T0);
            for (size_t kx = 0; kx < kernel_w; kx++, a += CONV_TILE_CHANNELS) conv_step(a, row + kx, acc);
        }
}

void janus_conv_tile_avx512_bf16(const uint32_t *a, size_t pairs, size_t kernel_h, size_t kernel_w,
                                 const uint32_t *b, size_t plane, size_t row_stride,
                                 const float *bias, size_t channels, size_t pixels,
                                 float *out, size_t out_stride, int accumulate) {
    __m512 acc[CONV_TILE_CHANNELS][CONV_TILE_VECTORS];
    for (size_t m = 0; m < CONV_TILE_CHANNELS; m++)
        for (size_t v = 0; v < CONV_TILE_VECTORS; v++) acc[m][v] = _mm512_setzero_ps();
    if (kernel_h == 3 && kernel_w == 3) conv_steps(a, pairs, 3, 3, b, plane, row_stride, acc);
    else if (kernel_h == 1 && kernel_w == 1) conv_steps(a, pairs, 1, 1, b, plane, row_stride, acc);
    else conv_steps(a, pairs, kernel_h, kernel_w, b, plane, row_stride, acc);
    // Constant trip counts with the limits as masks: indexing `acc` by a runtime bound
    // would force it out of registers into memory for the whole tile.
    for (size_t m = 0; m < CONV_TILE_CHANNELS; m++) {
        if (m >= channels) break;
        __m512 offset = _mm512_set1_ps(bias ? bias[m] : 0);
        for (size_t v = 0; v < CONV_TILE_VECTORS; v++) {
            size_t lanes = pixels <= 16 * v ? 0 : pixels - 16 * v >= 16 ? 16 : pixels - 16 * v;
            __mmask16 mask = (__mmask16)((1u << lanes) - 1);
            float *target = out + m * out_stride + 16 * v;
            __m512 result = _mm512_add_ps(acc[m][v], offset);
            if (accumulate) result = _mm512_add_ps(result, _mm512_maskz_loadu_ps(mask, target));
            _mm512_mask_storeu_ps(target, mask, result);
        }
    }
}

#pragma clang attribute pop
#endif
