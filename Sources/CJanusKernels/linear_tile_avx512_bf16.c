// The AVX512_BF16 linear tile: bf16 activations times bf16 weights on vdpbf16ps, two
// products per f32 lane per instruction, accumulated in f32.
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))), apply_to = function)
#define TILE_WITH_BF16_DOT 1
#include "linear_tile_avx512.h"

void janus_tile_avx512_bf16_dot(const void *x, size_t x_stride, size_t k, size_t tile_m,
                                const uint8_t *const weight_rows[JANUS_TILE_N],
                                janus_float_type weight_type, size_t prefetch_ahead, float *sums) {
    (void)weight_type;  // bf16 by contract
    TILE_DISPATCH_ROWS(TILE_BF16_DOT, JANUS_FLOAT_BF16, tile_m, x, x_stride, k, weight_rows, prefetch_ahead, sums);
}

#pragma clang attribute pop
#endif
