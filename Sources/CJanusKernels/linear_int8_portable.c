// Portable kernels of janus_linear_int8 over the packed layout, in plain C. They do the
// same arithmetic as the AVX-512 kernels (only the order of the f32 sums differs), so
// tests compare the two against one reference. Each is also compiled for AVX2 + FMA,
// for x86 CPUs without AVX-512 (or without AVX512_VNNI).
#include "cpu_features.h"
#include "linear_int8.h"

#define PORTABLE_INLINE static inline __attribute__((always_inline))

PORTABLE_INLINE void f32_products(const float *x, size_t x_stride, size_t rows, size_t k, const uint8_t *values,
                                  const uint16_t *scales, float *sums) {
    // Lanes of partial sums, one per (row, byte of the 4-byte step), as the SIMD kernel keeps them.
    float lanes[JANUS_INT8_F32_MAX_ROWS][JANUS_INT8_GROUP][4] = {{{0}}};
    float weights[JANUS_INT8_GROUP][JANUS_INT8_BLOCK];
    for (size_t b = 0; b < k / JANUS_INT8_BLOCK; b++) {
        const uint8_t *block = values + b * JANUS_INT8_GROUP_BLOCK_BYTES;
        for (size_t j = 0; j < JANUS_INT8_GROUP; j++) {
            float scale = janus_int8_scale(scales[b * JANUS_INT8_GROUP + j]);
            for (size_t t = 0; t < JANUS_INT8_STEPS; t++)
                for (size_t i = 0; i < 4; i++)
                    weights[j][4 * t + i] = (float)((int)block[t * 4 * JANUS_INT8_GROUP + j * 4 + i] - 128) * scale;
        }
        for (size_t m = 0; m < rows; m++) {
            const float *xs = x + m * x_stride + b * JANUS_INT8_BLOCK;
            for (size_t j = 0; j < JANUS_INT8_GROUP; j++)
                for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) lanes[m][j][i % 4] += xs[i] * weights[j][i];
        }
    }
    for (size_t m = 0; m < rows; m++)
        for (size_t j = 0; j < JANUS_INT8_GROUP; j++)
            sums[m * JANUS_INT8_GROUP + j] = (lanes[m][j][0] + lanes[m][j][1]) + (lanes[m][j][2] + lanes[m][j][3]);
}

PORTABLE_INLINE void dot_products(const janus_int8_activations *x, size_t first_row, size_t rows,
                                  const uint8_t *values, const uint16_t *scales, float *sums) {
    size_t k = x->k, blocks = k / JANUS_INT8_BLOCK;
    for (size_t m = 0; m < rows; m++) {
        size_t row = first_row + m;
        float totals[JANUS_INT8_GROUP] = {0};
        for (size_t b = 0; b < blocks; b++) {
            const uint8_t *block = values + b * JANUS_INT8_GROUP_BLOCK_BYTES;
            const int8_t *high = x->high + row * k + b * JANUS_INT8_BLOCK;
            const int8_t *low = x->low + row * k + b * JANUS_INT8_BLOCK;
            int32_t high_dots[JANUS_INT8_GROUP], low_dots[JANUS_INT8_GROUP];
            for (size_t j = 0; j < JANUS_INT8_GROUP; j++) high_dots[j] = low_dots[j] = 0;
            for (size_t t = 0; t < JANUS_INT8_STEPS; t++)
                for (size_t j = 0; j < JANUS_INT8_GROUP; j++)
                    for (size_t i = 0; i < 4; i++) {
                        int32_t u = block[t * 4 * JANUS_INT8_GROUP + j * 4 + i];
                        high_dots[j] += u * high[4 * t + i];
                        low_dots[j] += u * low[4 * t + i];
                    }
            float x_scale = x->scales[row * blocks + b];
            int32_t offset = x->offsets[row * blocks + b];
            for (size_t j = 0; j < JANUS_INT8_GROUP; j++) {
                int32_t dot = (offset + high_dots[j]) * 128 + low_dots[j];
                totals[j] += (float)dot * (janus_int8_scale(scales[b * JANUS_INT8_GROUP + j]) * x_scale);
            }
        }
        for (size_t j = 0; j < JANUS_INT8_GROUP; j++) sums[m * JANUS_INT8_GROUP + j] = totals[j];
    }
}

void janus_int8_f32_portable(const float *x, size_t x_stride, size_t rows, size_t k, const uint8_t *values,
                             const uint16_t *scales, float *sums) {
    f32_products(x, x_stride, rows, k, values, scales, sums);
}

void janus_int8_dot_portable(const janus_int8_activations *x, size_t first_row, size_t rows,
                             const uint8_t *values, const uint16_t *scales, float *sums) {
    dot_products(x, first_row, rows, values, scales, sums);
}

#if JANUS_HAS_X86_VARIANTS
JANUS_TARGET_AVX2 void janus_int8_f32_portable_avx2(const float *x, size_t x_stride, size_t rows, size_t k,
                                                    const uint8_t *values, const uint16_t *scales, float *sums) {
    f32_products(x, x_stride, rows, k, values, scales, sums);
}

JANUS_TARGET_AVX2 void janus_int8_dot_portable_avx2(const janus_int8_activations *x, size_t first_row,
                                                    size_t rows, const uint8_t *values, const uint16_t *scales,
                                                    float *sums) {
    dot_products(x, first_row, rows, values, scales, sums);
}
#endif
