// The portable linear tile: weight rows widened to f32 a chunk at a time into stack
// buffers, then multiplied in "lanes" (LANES independent partial sums per dot product)
// so the compiler can vectorise the inner loop without reassociating any sum.
#include "cpu_features.h"
#include "linear_streaming.h"

#include <string.h>

/// K elements widened per step: 4 rows x 1 KiB of f32 stay in L1 for every row of x.
#define CHUNK 256
#define LANES 16

static void widen(const uint8_t *row, janus_float_type type, size_t first, size_t count, float *out) {
    switch (type) {
    case JANUS_FLOAT_F32: memcpy(out, row + 4 * first, 4 * count); break;
    case JANUS_FLOAT_F16: janus_f16_to_f32(row + 2 * first, out, count); break;
    case JANUS_FLOAT_BF16: janus_bf16_to_f32(row + 2 * first, out, count); break;
    }
}

static inline __attribute__((always_inline)) void
portable_tile(const float *x, size_t x_stride, size_t k, size_t tile_m,
              const uint8_t *const weight_rows[JANUS_TILE_N], janus_float_type type, float *sums) {
    float weights[JANUS_TILE_N][CHUNK] __attribute__((aligned(64)));
    float lanes[JANUS_TILE_MAX_M][JANUS_TILE_N][LANES] __attribute__((aligned(64)));
    float tails[JANUS_TILE_MAX_M][JANUS_TILE_N];
    memset(lanes, 0, sizeof lanes);
    memset(tails, 0, sizeof tails);
    for (size_t first = 0; first < k; first += CHUNK) {
        size_t length = k - first < CHUNK ? k - first : CHUNK;
        size_t whole = length - length % LANES;
        for (size_t g = 0; g < JANUS_TILE_N; g++) widen(weight_rows[g], type, first, length, weights[g]);
        for (size_t m = 0; m < tile_m; m++) {
            const float *xs = x + m * x_stride + first;
            for (size_t g = 0; g < JANUS_TILE_N; g++) {
                float *acc = lanes[m][g];
                const float *w = weights[g];
                for (size_t i = 0; i < whole; i += LANES)
                    for (size_t l = 0; l < LANES; l++) acc[l] += xs[i + l] * w[i + l];
                for (size_t i = whole; i < length; i++) tails[m][g] += xs[i] * w[i];
            }
        }
    }
    for (size_t m = 0; m < tile_m; m++) {
        for (size_t g = 0; g < JANUS_TILE_N; g++) {
            float total = 0;
            for (size_t l = 0; l < LANES; l++) total += lanes[m][g][l];
            sums[m * JANUS_TILE_N + g] = total + tails[m][g];
        }
    }
}

void janus_tile_portable(const void *x, size_t x_stride, size_t k, size_t tile_m,
                         const uint8_t *const weight_rows[JANUS_TILE_N],
                         janus_float_type weight_type, size_t prefetch_ahead, float *sums) {
    (void)prefetch_ahead;  // widening a chunk at a time already reads ahead
    portable_tile(x, x_stride, k, tile_m, weight_rows, weight_type, sums);
}

#if JANUS_HAS_X86_VARIANTS
/// The same loops compiled for AVX2 + FMA, for x86 CPUs without AVX-512.
JANUS_TARGET_AVX2 void janus_tile_portable_avx2(const void *x, size_t x_stride, size_t k, size_t tile_m,
                                                const uint8_t *const weight_rows[JANUS_TILE_N],
                                                janus_float_type weight_type, size_t prefetch_ahead, float *sums) {
    (void)prefetch_ahead;  // widening a chunk at a time already reads ahead
    portable_tile(x, x_stride, k, tile_m, weight_rows, weight_type, sums);
}
#endif
