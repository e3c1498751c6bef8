// Quantisation into (and out of) the packed int8 layout described in janus_kernels.h.
#include "cpu_features.h"
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

typedef struct {
    const void *weight;
    janus_float_type type;
    size_t n, k;
    uint8_t *values;
    uint16_t *scales;
} quantize_job;

/// Quantises groups [first, end): each block of 16 rows at a time, written packed.
static void quantize_groups(void *context, size_t first, size_t end) {
    const quantize_job *job = context;
    size_t k = job->k, blocks = k / JANUS_INT8_BLOCK;
    float widened[JANUS_INT8_GROUP][JANUS_INT8_BLOCK];
    for (size_t group = first; group < end; group++) {
        for (size_t b = 0; b < blocks; b++) {
            uint8_t *packed = job->values + (group * blocks + b) * JANUS_INT8_GROUP_BLOCK_BYTES;
            uint16_t *scales = job->scales + (group * blocks + b) * JANUS_INT8_GROUP;
            for (size_t j = 0; j < JANUS_INT8_GROUP; j++) {
                size_t row = group * JANUS_INT8_GROUP + j;
                if (row < job->n)
                    widen_block(job->weight, job->type, row * k + b * JANUS_INT8_BLOCK, widened[j]);
                else
                    memset(widened[j], 0, sizeof widened[j]);  // padding rows: q = 0, scale 0
                uint16_t scale_bits = block_scale(janus_block_largest(widened[j]));
                float scale = janus_int8_scale(scale_bits);
                float inverse = scale > 0 ? 1.0f / scale : 0;
                for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) {
                    // |w| ≤ 127 scale, so the product is within ±127 up to rounding; the
                    // clamp also keeps a NaN or infinity from reaching the conversion.
                    float q = fmaxf(-127.0f, fminf(127.0f, widened[j][i] * inverse));
                    packed[(i / 4) * 4 * JANUS_INT8_GROUP + j * 4 + i % 4] = (uint8_t)((int)janus_round_small(q) + 128);
                }
                scales[j] = scale_bits;
            }
        }
    }
}

void janus_quantize_int8_blocks(const void *weight, janus_float_type weight_type, size_t n, size_t k,
                                uint8_t *values, uint16_t *scales) {
    quantize_job job = {.weight = weight, .type = weight_type, .n = n, .k = k, .values = values, .scales = scales};
    // Loading quantises every linear weight of the model: a second or more per thread.
    janus_parallel_for(janus_int8_packed_rows(n) / JANUS_INT8_GROUP, 0, quantize_groups, &job);
}

void janus_int8_dequantize_rows(const uint8_t *values, const uint16_t *scales, size_t k,
                                size_t first_row, size_t count, float *out) {
    size_t blocks = k / JANUS_INT8_BLOCK;
#if JANUS_HAS_X86_VARIANTS
    // Whole groups go 16 rows at a time (a prefill under f32 compute dequantises every
    // weight once per call); the rows before and after them one at a time, below.
    size_t lead = (JANUS_INT8_GROUP - first_row % JANUS_INT8_GROUP) % JANUS_INT8_GROUP;
    if (lead > count) lead = count;
    size_t groups = (count - lead) / JANUS_INT8_GROUP;
    if (groups > 0 && janus_cpu_has_avx512()) {
        size_t first_group = (first_row + lead) / JANUS_INT8_GROUP;
        janus_int8_dequantize_groups_avx512(values + first_group * blocks * JANUS_INT8_GROUP_BLOCK_BYTES,
                                            scales + first_group * blocks * JANUS_INT8_GROUP, k, groups,
                                            out + lead * k);
        size_t done = lead + groups * JANUS_INT8_GROUP;
        janus_int8_dequantize_rows(values, scales, k, first_row + done, count - done, out + done * k);
        count = lead;
    }
#endif
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
