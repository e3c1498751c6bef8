// Private to CJanusKernels: the per-unit work of janus_attention_few_queries, written
// once and compiled for every instruction set: by attention_few_queries.c with plain C
// helpers (baseline and AVX2 builds) and by attention_avx512.c with AVX-512 intrinsics.
// The cached keys and values are f32, bf16 or int8 with block scales (`kv_type`, a
// constant at every call of attend_unit, so each instantiation keeps only its own
// loads). A cached row is described by a `kv_row`. Each includer defines, before
// including:
//   void attention_position_scores(janus_kv_type kv_type, const float *q, kv_row k, size_t heads,
//                                  size_t group, size_t head_dim, float scale, float *scores, size_t stride)
//       scores[h * stride] = scale * (q_h . k_(h / group)) for every head h of one position
//       (k: its first head's row), k widened to f32 in registers (int8: q · scale, rounded once)
//   void attention_accumulate(janus_kv_type kv_type, float *out, const float *w, kv_row v,
//                             size_t v_stride, size_t v_scale_stride, size_t positions, size_t n)
//       out += w[p] v_p for p = 0, 1, ... positions - 1 in turn (v_p at v.elements + p * v_stride
//       bytes, its scales at v.scales + p * v_scale_stride floats), v widened likewise
//   void attention_exponentials(janus_kv_type kv_type, float *row, size_t count, float maximum)
//       row[i] = exp(row[i] - maximum) for i < count
#ifndef JANUS_ATTENTION_FEW_QUERIES_H
#define JANUS_ATTENTION_FEW_QUERIES_H

#include "attention_kv_row.h"
#include "janus_kernels.h"
#include "thread_scratch.h"

#include <math.h>
#include <string.h>

typedef struct {
    const float *q;
    const void *k, *v;  // per the unit's kv_type
    const float *k_scales, *v_scales;  // int8 only
    unsigned kv_block_shift;  // int8 only: log2 of the block
    float *out;
    size_t queries, heads, kv_heads, keys, head_dim, value_dim;
    float scale;
    int causal;
    /// Each query's visible positions are cut into this many blocks, one unit each.
    size_t blocks;
    /// Per unit and head: the block's score maximum, its sum of exp(score - maximum),
    /// and the values weighted by those exponentials (value_dim floats).
    float *partials;
    void (*unit)(const void *job, size_t index);  // the variant for this CPU and KV type
} attention_job;

/// The AVX-512 units (attention_avx512.c): f32, bf16 and int8 keys/values.
void janus_attend_avx512(const void *job, size_t index);
void janus_attend_avx512_bf16_kv(const void *job, size_t index);
void janus_attend_avx512_int8_kv(const void *job, size_t index);

static inline size_t attention_visible(const attention_job *job, size_t t) {
    return job->causal ? job->keys - job->queries + t + 1 : job->keys;
}

static inline size_t attention_partial_stride(const attention_job *job) { return job->value_dim + 2; }

/// Positions whose weighted values join a head's sums while those stay in registers
/// (the sums are still updated position by position, in order).
#define ATTENTION_VALUE_GROUP 8

/// Positions [*begin, *end) of block `b` of query t.
static inline void attention_block(const attention_job *job, size_t t, size_t b, size_t *begin, size_t *end) {
    size_t visible = attention_visible(job, t);
    *begin = visible * b / job->blocks;
    *end = visible * (b + 1) / job->blocks;
}

/// Unit `index` = t * blocks + b: every head of query t over block b's positions.
/// Each position's keys (and values) for all heads are one contiguous run of the
/// cache, so a unit streams its share of the cache front to back, once.
static inline __attribute__((always_inline)) void attend_unit(const attention_job *job, size_t index,
                                                              janus_kv_type kv_type) {
    size_t t = index / job->blocks, b = index % job->blocks, begin, end;
    attention_block(job, t, b, &begin, &end);
    size_t heads = job->heads, group = heads / job->kv_heads, count = end - begin;
    size_t size = attention_kv_size(kv_type);
    unsigned shift = job->kv_block_shift;
    size_t key_row = job->kv_heads * job->head_dim, value_row = job->kv_heads * job->value_dim;
    const float *queries = job->q + t * heads * job->head_dim;
    float *partials = job->partials + index * heads * attention_partial_stride(job);
    for (size_t h = 0; h < heads; h++) {
        float *partial = partials + h * attention_partial_stride(job);
        partial[0] = -INFINITY;
        partial[1] = 0;
        memset(partial + 2, 0, job->value_dim * sizeof(float));
    }
    if (count == 0) return;

    // scores[h * count + i]: head h, position begin + i.
    float *scores = janus_thread_scratch(JANUS_SCRATCH_SCORES, heads * count * sizeof(float));
    for (size_t i = 0; i < count; i++) {
        kv_row keys = attention_kv_row(kv_type, job->k, job->k_scales, shift, begin + i, key_row);
        attention_position_scores(kv_type, queries, keys, heads, group, job->head_dim, job->scale, scores + i, count);
    }
    for (size_t h = 0; h < heads; h++) {
        float *row = scores + h * count, *partial = partials + h * attention_partial_stride(job);
        float maximum = janus_max(row, count);
        attention_exponentials(kv_type, row, count, maximum);
        partial[0] = maximum;
        partial[1] = janus_sum(row, count);
    }
    for (size_t i = 0; i < count; i += ATTENTION_VALUE_GROUP) {
        size_t positions = count - i < ATTENTION_VALUE_GROUP ? count - i : ATTENTION_VALUE_GROUP;
        for (size_t h = 0; h < heads; h++) {
            kv_row head = attention_kv_row(kv_type, job->v, job->v_scales, shift, (begin + i) * job->kv_heads + h / group,
                                           job->value_dim);
            attention_accumulate(kv_type, partials + h * attention_partial_stride(job) + 2, scores + h * count + i,
                                 head, value_row * size, kv_type == JANUS_KV_INT8 ? value_row >> shift : 0, positions,
                                 job->value_dim);
        }
    }
}

#endif
