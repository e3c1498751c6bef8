// Attention for a handful of queries against a long KV cache (a decode step), split
// the way flash-decoding splits it: each thread takes a contiguous block of cached
// positions for every head, computes a softmax local to the block, and the caller
// merges the blocks. Splitting by position rather than by head keeps every thread's
// reads one front-to-back stream through the cache ([S, Hkv, D]: a position's keys for
// all heads are contiguous); splitting by head would make each thread read 4 KiB runs
// 8 KiB apart, which streams at half the bandwidth. A bf16 cache (`--compute bf16`)
// halves those reads: keys and values are widened to f32 in registers, and scores,
// softmax and sums stay f32.
#include "cpu_features.h"
#include "janus_kernels.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/// bf16 -> f32 is exact: the bf16 bits are the high half of the f32 bits.
static inline __attribute__((always_inline)) float widened_bf16(uint16_t bits) {
    uint32_t wide = (uint32_t)bits << 16;
    float value;
    memcpy(&value, &wide, sizeof value);
    return value;
}

/// Element i of a cached key/value row, as f32.
static inline __attribute__((always_inline)) float kv_element(janus_float_type kv_type, const void *row, size_t i) {
    if (kv_type == JANUS_FLOAT_BF16) return widened_bf16(((const uint16_t *)row)[i]);
    return ((const float *)row)[i];
}

/// q . k in LANES partial sums (vectorisable without reassociating any sum).
static inline __attribute__((always_inline)) float attention_dot(janus_float_type kv_type, const float *q,
                                                                 const void *k, size_t n) {
#define LANES 16
    float lanes[LANES] = {0};
    size_t whole = n - n % LANES;
    for (size_t i = 0; i < whole; i += LANES)
        for (size_t l = 0; l < LANES; l++) lanes[l] += q[i + l] * kv_element(kv_type, k, i + l);
    float total = 0;
    for (size_t l = 0; l < LANES; l++) total += lanes[l];
    for (size_t i = whole; i < n; i++) total += q[i] * kv_element(kv_type, k, i);
    return total;
#undef LANES
}

static inline __attribute__((always_inline)) void
attention_position_scores(janus_float_type kv_type, const float *q, const void *k, size_t heads, size_t group,
                          size_t head_dim, float scale, float *scores, size_t stride) {
    size_t size = kv_type == JANUS_FLOAT_BF16 ? 2 : 4;
    for (size_t h = 0; h < heads; h++)
        scores[h * stride] = scale * attention_dot(kv_type, q + h * head_dim,
                                                   (const uint8_t *)k + h / group * head_dim * size, head_dim);
}

static inline __attribute__((always_inline)) void attention_accumulate(janus_float_type kv_type, float *out,
                                                                       const float *weights, const void *v,
                                                                       size_t v_stride, size_t positions, size_t n) {
    for (size_t p = 0; p < positions; p++) {
        const void *row = (const uint8_t *)v + p * v_stride;
        for (size_t d = 0; d < n; d++) out[d] += weights[p] * kv_element(kv_type, row, d);
    }
}

static inline __attribute__((always_inline)) void attention_exponentials(janus_float_type kv_type, float *row,
                                                                         size_t count, float maximum) {
    (void)kv_type;
    for (size_t i = 0; i < count; i++) row[i] = expf(row[i] - maximum);
}

#include "attention_few_queries.h"

static void attend_portable(const void *job, size_t index) { attend_unit(job, index, JANUS_FLOAT_F32); }
static void attend_portable_bf16_kv(const void *job, size_t index) { attend_unit(job, index, JANUS_FLOAT_BF16); }

#if JANUS_HAS_X86_VARIANTS
JANUS_TARGET_AVX2 static void attend_avx2(const void *job, size_t index) { attend_unit(job, index, JANUS_FLOAT_F32); }
JANUS_TARGET_AVX2 static void attend_avx2_bf16_kv(const void *job, size_t index) {
    attend_unit(job, index, JANUS_FLOAT_BF16);
}
#endif

/// The unit for this CPU (or the portable one) and this KV element type.
static void (*attention_unit(janus_float_type kv_type, janus_isa isa))(const void *, size_t) {
    int bf16 = kv_type == JANUS_FLOAT_BF16;
#if JANUS_HAS_X86_VARIANTS
    if (isa == JANUS_ISA_BEST && janus_cpu_has_avx512()) return bf16 ? janus_attend_avx512_bf16_kv : janus_attend_avx512;
    if (isa == JANUS_ISA_BEST && janus_cpu_has_avx2_fma()) return bf16 ? attend_avx2_bf16_kv : attend_avx2;
#endif
    (void)isa;
    return bf16 ? attend_portable_bf16_kv : attend_portable;
}

static void run_units(void *context, size_t begin, size_t end) {
    const attention_job *job = context;
    for (size_t index = begin; index < end; index++) job->unit(job, index);
}

/// Merges query t's blocks per head: each block's sums are rescaled from its own
/// maximum to the overall one, then the weighted values are divided by the total.
static void merge_blocks(const attention_job *job, size_t t) {
    size_t stride = attention_partial_stride(job);
    for (size_t h = 0; h < job->heads; h++) {
        float maximum = -INFINITY;
        for (size_t b = 0; b < job->blocks; b++) {
            float block_maximum = job->partials[((t * job->blocks + b) * job->heads + h) * stride];
            if (block_maximum > maximum) maximum = block_maximum;
        }
        float *out = job->out + (t * job->heads + h) * job->value_dim, total = 0;
        memset(out, 0, job->value_dim * sizeof(float));
        for (size_t b = 0; b < job->blocks; b++) {
            const float *partial = job->partials + ((t * job->blocks + b) * job->heads + h) * stride;
            if (partial[1] == 0) continue;  // an empty block
            float rescale = expf(partial[0] - maximum);
            total += partial[1] * rescale;
            for (size_t d = 0; d < job->value_dim; d++) out[d] += partial[2 + d] * rescale;
        }
        float inverse_total = 1.0f / total;
        for (size_t d = 0; d < job->value_dim; d++) out[d] *= inverse_total;
    }
}

/// Positions per block below which splitting a query costs more than it saves.
#define MIN_BLOCK_POSITIONS 64
/// Blocks per thread: a finished thread can take over part of a late one's share.
#define BLOCKS_PER_THREAD 4

void janus_attention_few_queries(const float *q, const void *k, const void *v, janus_float_type kv_type,
                                 float *out, size_t queries, size_t heads, size_t kv_heads, size_t keys,
                                 size_t head_dim, size_t value_dim, float scale, int causal,
                                 size_t threads, janus_isa isa) {
    if (queries == 0) return;
    attention_job job = {
        .q = q, .k = k, .v = v, .out = out, .queries = queries, .heads = heads, .kv_heads = kv_heads,
        .keys = keys, .head_dim = head_dim, .value_dim = value_dim, .scale = scale, .causal = causal,
        .unit = attention_unit(kv_type, isa),
    };
    if (threads == 0) threads = janus_threads_count();
    size_t blocks = keys / MIN_BLOCK_POSITIONS;
    if (blocks > threads * BLOCKS_PER_THREAD) blocks = threads * BLOCKS_PER_THREAD;
    job.blocks = blocks > 0 ? blocks : 1;
    job.partials = janus_thread_scratch(JANUS_SCRATCH_ATTENTION_BLOCKS,
                                        queries * job.blocks * heads * attention_partial_stride(&job) * sizeof(float));
    janus_parallel_for(queries * job.blocks, threads, run_units, &job);
    for (size_t t = 0; t < queries; t++) merge_blocks(&job, t);
}
