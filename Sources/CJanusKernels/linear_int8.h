// Private to CJanusKernels: the pieces of janus_linear_int8. Each kernel computes one
// group of JANUS_INT8_GROUP packed weight rows against a few activation rows over all
// of K, writing sums[m * JANUS_INT8_GROUP + j] (activation row m, weight row j of the
// group). The driver (linear_int8.c) splits groups across threads and rows into passes.
#ifndef JANUS_LINEAR_INT8_H
#define JANUS_LINEAR_INT8_H

#include "janus_kernels.h"

/// 4-byte steps per block (vpdpbusd multiplies 4 bytes per 32-bit lane).
#define JANUS_INT8_STEPS (JANUS_INT8_BLOCK / 4)
/// Bytes of one block of one group: 16 rows x 32 values.
#define JANUS_INT8_GROUP_BLOCK_BYTES (JANUS_INT8_BLOCK * JANUS_INT8_GROUP)

/// How far ahead of its reads (in packed value bytes) a kernel prefetches into L2. Each
/// thread streams one contiguous run of groups, and the hardware prefetcher stops at
/// every 4 KiB page: asking 8 KiB ahead took a decode step's int8 reads from about 70%
/// to about 85% of a plain read's bandwidth on the 2-core Zen 4 (into L1, or 2 KiB ahead,
/// gained little). The scales stream is 16 times slower, so it is read 16 times less ahead.
#define JANUS_INT8_PREFETCH_AHEAD 8192

/// Activation rows per pass of the f32-products kernel: 6 x 4 accumulators, 4 widened
/// weight vectors and 1 activation fit the 32 AVX-512 registers (the block's scales are
/// read from the stack). Each pass widens the weights once: 6 rows rather than 4 cut
/// a 32-row step by a tenth.
#define JANUS_INT8_F32_MAX_ROWS 6
/// Activation rows per pass of the int8 kernel: 8 int32 and 8 f32 accumulators.
#define JANUS_INT8_DOT_MAX_ROWS 8

/// Activations as janus_quantize_rows_int8x2 makes them, plus per row and block the
/// int32 the block's integer sum starts from. The kernel sums u * high (u = q + 128, the
/// stored weight bytes), multiplies by 128, then adds u * low: that is
/// 128 (q.high) + q.low + 128 (128 sum(high) + sum(low)), so starting from
/// offset = -128 sum(high) - sum(low) (before the multiply) leaves exactly
/// 128 (q.high) + q.low, the block's dot product in units of scale / 128.
typedef struct {
    const int8_t *high;     // [rows, k]
    const int8_t *low;      // [rows, k]
    const float *scales;    // [rows, k / 32]: the block's scale / 128
    const int32_t *offsets; // [rows, k / 32]
    size_t k;
} janus_int8_activations;

/// Exact f32 products of x [rows, x_stride] with one group's dequantised weights.
typedef void (*janus_int8_f32_kernel)(const float *x, size_t x_stride, size_t rows, size_t k,
                                      const uint8_t *values, const uint16_t *scales, float *sums);
/// Int8 products of activation rows [first_row, first_row + rows) with one group.
typedef void (*janus_int8_dot_kernel)(const janus_int8_activations *x, size_t first_row, size_t rows,
                                      const uint8_t *values, const uint16_t *scales, float *sums);

void janus_int8_f32_portable(const float *x, size_t x_stride, size_t rows, size_t k, const uint8_t *values,
                             const uint16_t *scales, float *sums);
void janus_int8_f32_portable_avx2(const float *x, size_t x_stride, size_t rows, size_t k, const uint8_t *values,
                                  const uint16_t *scales, float *sums);
void janus_int8_f32_avx512(const float *x, size_t x_stride, size_t rows, size_t k, const uint8_t *values,
                           const uint16_t *scales, float *sums);
void janus_int8_dot_portable(const janus_int8_activations *x, size_t first_row, size_t rows, const uint8_t *values,
                            const uint16_t *scales, float *sums);
void janus_int8_dot_portable_avx2(const janus_int8_activations *x, size_t first_row, size_t rows, const uint8_t *values,
                                 const uint16_t *scales, float *sums);
void janus_int8_dot_vnni(const janus_int8_activations *x, size_t first_row, size_t rows, const uint8_t *values,
                        const uint16_t *scales, float *sums);

/// Rounds to the nearest integer, ties to even, for |v| < 2^22: nearbyintf in the
/// default rounding mode, as two additions the compiler can vectorise (baseline x86-64
/// has no rounding instruction, and nearbyintf stays a library call).
static inline float janus_round_small(float v) { return (v + 12582912.0f) - 12582912.0f; }

/// Largest |x[i]| of one block (NaN-free input), in a form that vectorises: the two
/// halves compared lane by lane, then the 16 lanes folded in halves.
static inline float janus_block_largest(const float *x) {
    float lanes[16];
    for (size_t l = 0; l < 16; l++) {
        float a = x[l] < 0 ? -x[l] : x[l], b = x[16 + l] < 0 ? -x[16 + l] : x[16 + l];
        lanes[l] = a > b ? a : b;
    }
    for (size_t width = 8; width > 0; width /= 2)
        for (size_t l = 0; l < width; l++) lanes[l] = lanes[l] > lanes[l + width] ? lanes[l] : lanes[l + width];
    return lanes[0];
}

/// janus_int8_dequantize_rows for whole groups: `groups` groups from `values` / `scales`
/// (already offset to the first) into rows of k floats.
void janus_int8_dequantize_groups_avx512(const uint8_t *values, const uint16_t *scales, size_t k, size_t groups,
                                         float *out);

/// A bf16 scale as f32 (exact).
static inline float janus_int8_scale(uint16_t bits) {
    union { uint32_t u; float f; } widened = {.u = (uint32_t)bits << 16};
    return widened.f;
}

#endif
