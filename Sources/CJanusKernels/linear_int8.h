// Private to CJanusKernels: the per-ISA row kernel of janus_linear_int8.
#ifndef JANUS_LINEAR_INT8_H
#define JANUS_LINEAR_INT8_H

#include "janus_kernels.h"

/// Activation rows one pass over a weight row keeps in registers (8 accumulators,
/// 2 widened weight vectors, 1 activation: well inside the 32 AVX-512 registers).
#define JANUS_INT8_MAX_ROWS_PER_PASS 8

/// sums[m] = sum over i < k of x[m * k + i] * (q[i] * scales[i / JANUS_INT8_BLOCK]) for
/// m < rows (≤ JANUS_INT8_MAX_ROWS_PER_PASS): one weight row against a few activation rows.
typedef void (*janus_int8_row_kernel)(const float *x, size_t rows, size_t k, const int8_t *q,
                                      const float *scales, float *sums);

void janus_int8_row_portable(const float *x, size_t rows, size_t k, const int8_t *q, const float *scales,
                             float *sums);
void janus_int8_row_avx512(const float *x, size_t rows, size_t k, const int8_t *q, const float *scales,
                           float *sums);

#endif
