// Attention for a handful of queries against a long KV cache (a decode step), split
// the way flash-decoding splits it: each thread takes a contiguous block of cached
// positions for every head, computes a softmax local to the block, and the caller
// merges the blocks. Splitting by position rather than by head keeps every thread's
// reads one front-to-back stream through the cache ([S, Hkv, D]: a position's keys for
// all heads are contiguous); splitting by head would make each thread read 4 KiB runs
// 8 KiB apart, which streams at half the bandwidth.
#include "cpu_features.h"

#include <stddef.h>

/// a . b in LANES partial sums (vectorisable without reassociating any sum).
static inline __attribute__((always_inline)) float attention_dot(const float *a, const float *b, size_t n) {
#define LANES 16
    float lanes[LANES] = {0};
    size_t whole = n - n % LANES;
    for (size_t i = 0; i < whole; i += LANES)
        for (size_t l = 0; l < LANES; l++) lanes[l] += a[i + l] * b[i + l];
    float total = 0;
    for (size_t l = 0; l < LANES; l++) total += lanes[l];
    for (size_t i = whole; i < n; i++) total += a[i] * b[i];
    return total;
#undef LANES
}

static inline __attribute__((always_inline)) void attention_accumulate(float *out, float weight, const float *v,
                                                                       size_t n) {
    for (size_t d = 0; d < n; d++) out[d] += weight * v[d];
}

#include "attention_few_queries.h"

static void attend_portable(const void *job, size_t index) { attend_unit(job, index); }

#if JANUS_HAS_X86_VARIANTS
JANUS_TARGET_AVX2 static void attend_avx2(const void *job, size_t index) { attend_unit(job, index); }
#endif

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

void janus_attention_few_queries(const float *q, const float *k, const float *v, float *out,
                                 size_t queries, size_t heads, size_t kv_heads, size_t keys,
                                 size_t head_dim, size_t value_dim, float scale, int causal,
                                 size_t threads) {
    if (queries == 0) return;
    attention_job job = {
        .q = q, .k = k, .v = v, .out = out, .queries = queries, .heads = heads, .kv_heads = kv_heads,
        .keys = keys, .head_dim = head_dim, .value_dim = value_dim, .scale = scale, .causal = causal,
        .unit = attend_portable,
    };
#if JANUS_HAS_X86_VARIANTS
    if (janus_cpu_has_avx512()) job.unit = janus_attend_avx512;
    else if (janus_cpu_has_avx2_fma()) job.unit = attend_avx2;
#endif
    if (threads == 0) threads = janus_threads_count();
    size_t blocks = keys / MIN_BLOCK_POSITIONS;
    if (blocks > threads * BLOCKS_PER_THREAD) blocks = threads * BLOCKS_PER_THREAD;
    job.blocks = blocks > 0 ? blocks : 1;
    job.partials = janus_thread_scratch(JANUS_SCRATCH_ATTENTION_BLOCKS,
                                        queries * job.blocks * heads * attention_partial_stride(&job) * sizeof(float));
    janus_parallel_for(queries * job.blocks, threads, run_units, &job);
    for (size_t t = 0; t < queries; t++) merge_blocks(&job, t);
}
