// Private to CJanusKernels: pieces of janus_attention_bf16 that differ per instruction set.
#ifndef JANUS_ATTENTION_BF16_H
#define JANUS_ATTENTION_BF16_H

#include "janus_kernels.h"

/// Query rows per tile, and output columns per tile (two registers of 16 f32).
#define PAIR_TILE_ROWS 12
#define PAIR_TILE_COLUMNS 32

/// out[m * ldc + n] = sum over j < pairs of the bf16 pair products a[m * lda + j] ·
/// b[j * ldb + n], for m < rows (≤ PAIR_TILE_ROWS) and n < columns (≤ PAIR_TILE_COLUMNS).
/// Each uint32 holds two bf16 values; b must be readable for PAIR_TILE_COLUMNS columns.
typedef void (*janus_pair_tile)(const uint32_t *a, size_t lda, const uint32_t *b, size_t ldb, size_t pairs,
                                size_t rows, size_t columns, float *out, size_t ldc);

void janus_pair_tile_portable(const uint32_t *a, size_t lda, const uint32_t *b, size_t ldb, size_t pairs,
                              size_t rows, size_t columns, float *out, size_t ldc);
void janus_pair_tile_avx512_bf16(const uint32_t *a, size_t lda, const uint32_t *b, size_t ldb, size_t pairs,
                                 size_t rows, size_t columns, float *out, size_t ldc);

/// In place over `row[0..<visible]`: softmax(row · scale); `row[visible..<count]` = 0.
void janus_scaled_softmax_row(float *row, size_t visible, size_t count, float scale);
void janus_scaled_softmax_row_avx512(float *row, size_t visible, size_t count, float scale);

#endif
