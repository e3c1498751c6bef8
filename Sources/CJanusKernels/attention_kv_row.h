// Private to CJanusKernels: one row of a KV cache as the few-queries attention reads it
// (f32, bf16, or int8 with block scales), shared by the attention units of every
// instruction set.
#ifndef JANUS_ATTENTION_KV_ROW_H
#define JANUS_ATTENTION_KV_ROW_H

#include "janus_kernels.h"

#include <stddef.h>
#include <stdint.h>

/// One cached row: its elements and, for an int8 cache, their block scales.
typedef struct {
    const void *elements;
    const float *scales;  // int8 only: one per 1 << block_shift elements
    unsigned block_shift;  // a shift, not a division: the loads run once per 16 elements
} kv_row;

/// Bytes per cached key/value element.
static inline size_t attention_kv_size(janus_kv_type kv_type) {
    return kv_type == JANUS_KV_F32 ? 4 : kv_type == JANUS_KV_BF16 ? 2 : 1;
}

/// Row `index` of `row_elements` elements from `rows` (its scales from `scales`).
static inline __attribute__((always_inline)) kv_row attention_kv_row(janus_kv_type kv_type, const void *rows,
                                                                    const float *scales, unsigned block_shift,
                                                                    size_t index, size_t row_elements) {
    kv_row row = { .elements = (const uint8_t *)rows + index * row_elements * attention_kv_size(kv_type),
                   .scales = kv_type == JANUS_KV_INT8 ? scales + index * (row_elements >> block_shift) : NULL,
                   .block_shift = block_shift };
    return row;
}

/// Head `kv_head`'s row within a position's row of every head.
static inline __attribute__((always_inline)) kv_row kv_head_row(janus_kv_type kv_type, kv_row position,
                                                                 size_t kv_head, size_t head_dim) {
    return attention_kv_row(kv_type, position.elements, position.scales, position.block_shift, kv_head, head_dim);
}

/// The row `bytes` bytes (and `scale_count` scales) after `row`: the same head, a later position.
static inline __attribute__((always_inline)) kv_row kv_row_after(kv_row row, size_t bytes, size_t scale_count) {
    kv_row later = { .elements = (const uint8_t *)row.elements + bytes,
                     .scales = row.scales ? row.scales + scale_count : NULL, .block_shift = row.block_shift };
    return later;
}

#endif
