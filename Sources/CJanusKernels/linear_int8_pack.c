// Quantisation into (and out of) the packed int8 layout described in janus_kernels.h,
// and the per-block quantisation of activation rows into two int8 parts.
#include "linear_int8.h"

#include <math.h>
#include <string.h>

size_t janus_int8_packed_rows(size_t n) { return (n + JANUS_INT8_GROUP - 1) / JANUS_INT8_GROUP * JANUS_INT8_GROUP; }

/// max |w| / 127 rounded up to the next bf16, so that round(w / scale) stays within ±127
/// and q * scale (7 bits times 8 bits) is exact in f32.
static uint16_t block_scale(float largest) {
    union { float f; uint32_t u; } scale = {.f = largest / 127.0f};
    uint32_t rounded_up = (scale.u + 0xFFFFu) >> 16;  // scale is finite and ≥ 0
    return (uint16_t)rounded_up;
}

static void widen_block(const void *weight, janus_float_type type, size_t first, float *out) {
    switch (type) {
    case JANUS_FLOAT_F32: memcpy(out, (const float *)weight + first, JANUS_INT8_BLOCK * sizeof(float)); break;
    case JANUS_FLOAT_F16: janus_f16_to_f32((const uint16_t *)weight + first, out, JANUS_INT8_BLOCK); break;
    case JANUS_FLOAT_BF16: janus_bf16_to_f32((const uint16_t *)weight + first, out, JANUS_INT8_BLOCK); break;
    }
}

/// Where byte i of block b of row `row` lives in the packed values.
static size_t packed_index(size_t row, size_t blocks, size_t b, size_t i) {
    size_t group = row / JANUS_INT8_GROUP, j = row % JANUS_INT8_GROUP;
    return (group * blocks + b) * JANUS_INT8_GROUP_BLOCK_BYTES + (i / 4) * (4 * JANUS_INT8_GROUP) + j * 4 + i % 4;
}

static size_t scale_index(size_t row, size_t blocks, size_t b) {
    return ((row / JANUS_INT8_GROUP) * blocks + b) * JANUS_INT8_GROUP + row % JANUS_INT8_GROUP;
}

void janus_quantize_int8_blocks(const void *weight, janus_float_type weight_type, size_t n, size_t k,
                                uint8_t *values, uint16_t *scales) {
    size_t blocks = k / JANUS_INT8_BLOCK, padded = janus_int8_packed_rows(n);
    float widened[JANUS_INT8_BLOCK];
    for (size_t row = 0; row < padded; row++) {
        for (size_t b = 0; b < blocks; b++) {
            if (row < n) {
                widen_block(weight, weight_type, row * k + b * JANUS_INT8_BLOCK, widened);
            } else {
                memset(widened, 0, sizeof widened);  // padding rows: q = 0, scale 0
            }
            float largest = 0;
            for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) largest = fmaxf(largest, fabsf(widened[i]));
            uint16_t scale_bits = block_scale(largest);
            float scale = janus_int8_scale(scale_bits);
            float inverse = scale > 0 ? 1.0f / scale : 0;
            for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) {
                float q = fmaxf(-127.0f, fminf(127.0f, nearbyintf(widened[i] * inverse)));
                values[packed_index(row, blocks, b, i)] = (uint8_t)((int)q + 128);
            }
            scales[scale_index(row, blocks, b)] = scale_bits;
        }
    }
}

void janus_int8_dequantize_rows(const uint8_t *values, const uint16_t *scales, size_t k,
                                size_t first_row, size_t count, float *out) {
    size_t blocks = k / JANUS_INT8_BLOCK;
    for (size_t r = 0; r < count; r++) {
        size_t row = first_row + r;
        for (size_t b = 0; b < blocks; b++) {
            float scale = janus_int8_scale(scales[scale_index(row, blocks, b)]);
            const uint8_t *block = values + packed_index(row, blocks, b, 0);
            float *dst = out + r * k + b * JANUS_INT8_BLOCK;
            for (size_t t = 0; t < JANUS_INT8_STEPS; t++)
                for (size_t i = 0; i < 4; i++)
                    dst[4 * t + i] = (float)((int)block[t * 4 * JANUS_INT8_GROUP + i] - 128) * scale;
        }
    }
}

void janus_int8_unpack(const uint8_t *values, const uint16_t *scales, size_t n, size_t k,
                       int8_t *q, float *row_scales) {
    size_t blocks = k / JANUS_INT8_BLOCK;
    for (size_t row = 0; row < n; row++) {
        for (size_t b = 0; b < blocks; b++) {
            row_scales[row * blocks + b] = janus_int8_scale(scales[scale_index(row, blocks, b)]);
            for (size_t i = 0; i < JANUS_INT8_BLOCK; i++)
                q[row * k + b * JANUS_INT8_BLOCK + i] = (int8_t)((int)values[packed_index(row, blocks, b, i)] - 128);
        }
    }
}

void janus_quantize_rows_int8x2(const float *x, size_t rows, size_t k, int8_t *high, int8_t *low, float *scales) {
    size_t blocks = k / JANUS_INT8_BLOCK;
    for (size_t block = 0; block < rows * blocks; block++) {
        const float *xs = x + block * JANUS_INT8_BLOCK;
        float largest = 0;
        for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) largest = fmaxf(largest, fabsf(xs[i]));
        float inverse = largest > 0 ? 127.0f / largest : 0;
        for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) {
            float scaled = fmaxf(-127.0f, fminf(127.0f, xs[i] * inverse));
            float rounded = nearbyintf(scaled);
            // scaled - rounded is exact (|scaled| < 128, |difference| ≤ 1/2), and so is * 128.
            high[block * JANUS_INT8_BLOCK + i] = (int8_t)rounded;
            low[block * JANUS_INT8_BLOCK + i] = (int8_t)nearbyintf((scaled - rounded) * 128.0f);
        }
        scales[block] = largest / 127.0f;
    }
}
