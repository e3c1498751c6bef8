// AVX-512 linear tiles with f32 products, for f32, f16 and bf16 weights.
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl"))), apply_to = function)
#include "linear_tile_avx512.h"

void janus_tile_avx512(const void *x, size_t x_stride, size_t k, size_t tile_m,
                       const uint8_t *const weight_rows[JANUS_TILE_N],
                       janus_float_type weight_type, size_t prefetch_ahead, float *sums) {
    switch (weight_type) {
    case JANUS_FLOAT_F32:
        TILE_DISPATCH_ROWS(TILE_F32_PRODUCTS, JANUS_FLOAT_F32, tile_m, x, x_stride, k, weight_rows, prefetch_ahead, sums);
        break;
    case JANUS_FLOAT_F16:
        TILE_DISPATCH_ROWS(TILE_F32_PRODUCTS, JANUS_FLOAT_F16, tile_m, x, x_stride, k, weight_rows, prefetch_ahead, sums);
        break;
    case JANUS_FLOAT_BF16:
        TILE_DISPATCH_ROWS(TILE_F32_PRODUCTS, JANUS_FLOAT_BF16, tile_m, x, x_stride, k, weight_rows, prefetch_ahead, sums);
        break;
    }
}

#pragma clang attribute pop
#endif
