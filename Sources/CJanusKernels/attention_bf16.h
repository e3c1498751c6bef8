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

/// p = softmax(row[0..<visible] · scale) as `pair_count` bf16 pairs (p[2i], p[2i + 1]),
/// keys from `visible` on counting as 0. `row` (2 · pair_count floats) is scratch.
typedef void (*janus_softmax_to_pairs)(float *row, size_t visible, size_t pair_count, float scale, uint32_t *pairs);

void janus_softmax_row_to_pairs(float *row, size_t visible, size_t pair_count, float scale, uint32_t *pairs);
void janus_softmax_row_to_pairs_avx512(float *row, size_t visible, size_t pair_count, float scale, uint32_t *pairs);

#endif
