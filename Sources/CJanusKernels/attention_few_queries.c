// Attention for a handful of queries against a long KV cache (a decode step), split
// the way flash-decoding splits it: each thread takes a contiguous block of cached
// positions for every head, computes a softmax local to the block, and the caller
// merges the blocks. Splitting by position rather than by head keeps every thread's
// reads one front-to-back stream through the cache ([S, Hkv, D]: a position's keys for
// all heads are contiguous); splitting by head would make each thread read 4 KiB runs
// 8 KiB apart, which streams at half the bandwidth. A bf16 cache (`--compute bf16`)
// halves those reads, an int8 one (`--kv-cache int8`) almost halves them again: keys and
// values are widened to f32 in registers, and scores, softmax and sums stay f32.
#include "cpu_features.h"
#include "attention_kv_row.h"
#include "janus_kernels.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

/// bf16 -> f32 is exact: the bf16 bits are the high half of the f32 bits.
static inline __attribute__((always_inline)) float widened_bf16(uint16_t bits) {
    uint32_t wide = (uint32_t)bits << 16;
    float value;
    memcpy(&value, &wide, sizeof value);
    return value;
}

/// Element i of a cached key/value row, as f32 (int8: q · scale, rounded once).
static inline __attribute__((always_inline)) float kv_element(janus_kv_type kv_type, kv_row row, size_t i) {
    if (kv_type == JANUS_KV_BF16) return widened_bf16(((const uint16_t *)row.elements)[i]);
    if (kv_type == JANUS_KV_INT8) return (float)((const int8_t *)row.elements)[i] * row.scales[i >> row.block_shift];
    return ((const float *)row.elements)[i];
}

/// q . k in LANES partial sums (vectorisable without reassociating any sum).
static inline __attribute__((always_inline)) float attention_dot(janus_kv_type kv_type, const float *q, kv_row k,
                                                                 size_t n) {
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
attention_position_scores(janus_kv_type kv_type, const float *q, kv_row k, size_t heads, size_t group,
                          size_t head_dim, float scale, float *scores, size_t stride) {
    for (size_t h = 0; h < heads; h++)
        scores[h * stride] = scale * attention_dot(kv_type, q + h * head_dim, kv_head_row(kv_type, k, h / group, head_dim),
                                                   head_dim);
}

static inline __attribute__((always_inline)) void attention_accumulate(janus_kv_type kv_type, float *out,
                                                                       const float *weights, kv_row v,
                                                                       size_t v_stride, size_t v_scale_stride,
                                                                       size_t positions, size_t n) {
    for (size_t p = 0; p < positions; p++) {
        kv_row row = kv_row_after(v, p * v_stride, p * v_scale_stride);
        for (size_t d = 0; d < n; d++) out[d] += weights[p] * kv_element(kv_type, row, d);
    }
}

static inline __attribute__((always_inline)) void attention_exponentials(janus_kv_type kv_type, float *row,
                                                                         size_t count, float maximum) {
    (void)kv_type;
    for (size_t i = 0; i < count; i++) row[i] = expf(row[i] - maximum);
}

#include "attention_few_queries.h"

static void attend_portable(const void *job, size_t index) { attend_unit(job, index, JANUS_KV_F32); }
static void attend_portable_bf16_kv(const void *job, size_t index) { attend_unit(job, index, JANUS_KV_BF16); }
static void attend_portable_int8_kv(const void *job, size_t index) { attend_unit(job, index, JANUS_KV_INT8); }

#if JANUS_HAS_X86_VARIANTS
JANUS_TARGET_AVX2 static void attend_avx2(const void *job, size_t index) { attend_unit(job, index, JANUS_KV_F32); }
JANUS_TARGET_AVX2 static void attend_avx2_bf16_kv(const void *job, size_t index) {
    attend_unit(job, index, JANUS_KV_BF16);
}
JANUS_TARGET_AVX2 static void attend_avx2_int8_kv(const void *job, size_t index) {
    attend_unit(job, index, JANUS_KV_INT8);
}
#endif

typedef void (*attention_unit_function)(const void *, size_t);

/// The unit for this CPU (or the portable one) and this KV element type.
static attention_unit_function attention_unit(janus_kv_type kv_type, janus_isa isa) {
    size_t type = kv_type == JANUS_KV_F32 ? 0 : kv_type == JANUS_KV_BF16 ? 1 : 2;
#if JANUS_HAS_X86_VARIANTS
    static const attention_unit_function avx512[] = { janus_attend_avx512, janus_attend_avx512_bf16_kv,
                                                      janus_attend_avx512_int8_kv };
    static const attention_unit_function avx2[] = { attend_avx2, attend_avx2_bf16_kv, attend_avx2_int8_kv };
    if (isa == JANUS_ISA_BEST && janus_cpu_has_avx512()) return avx512[type];
    if (isa == JANUS_ISA_BEST && janus_cpu_has_avx2_fma()) return avx2[type];
#endif
    (void)isa;
    static const attention_unit_function portable[] = { attend_portable, attend_portable_bf16_kv,
                                                        attend_portable_int8_kv };
    return portable[type];
}

/// A batch's sequences, each with its own job, and where each one's units start.
typedef struct {
    attention_job *jobs;
    size_t *first_unit;  // count + 1 entries
    size_t *first_query;  // count + 1 entries
    size_t count;
} attention_batch;

/// The sequence whose range in `starts` (count + 1 ascending offsets) holds `index`.
static size_t sequence_of(const size_t *starts, size_t count, size_t index) {
    size_t low = 0, high = count;
    while (high - low > 1) {
        size_t middle = (low + high) / 2;
        if (starts[middle] <= index) low = middle; else high = middle;
    }
    return low;
}

static void run_units(void *context, size_t begin, size_t end) {
    const attention_batch *batch = context;
    for (size_t index = begin; index < end; index++) {
        size_t s = sequence_of(batch->first_unit, batch->count, index);
        const attention_job *job = &batch->jobs[s];
        job->unit(job, index - batch->first_unit[s]);
    }
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

static void merge_queries(void *context, size_t begin, size_t end) {
    const attention_batch *batch = context;
    for (size_t index = begin; index < end; index++) {
        size_t s = sequence_of(batch->first_query, batch->count, index);
        merge_blocks(&batch->jobs[s], index - batch->first_query[s]);
    }
}

/// Positions per block below which splitting a query costs more than it saves.
#define MIN_BLOCK_POSITIONS 64
/// Blocks per thread: a finished thread can take over part of a late one's share.
#define BLOCKS_PER_THREAD 4
/// Queries from which the merges run on the pool too.
#define PARALLEL_MERGE_QUERIES 8
/// Sequences a batch holds without allocating.
#define STACK_SEQUENCES 64

void janus_attention_few_queries_batch(const janus_attention_sequence *sequences, size_t count,
                                       janus_kv_type kv_type, size_t kv_block, size_t heads, size_t kv_heads,
                                       size_t head_dim, size_t value_dim, float scale, int causal,
                                       size_t threads, janus_isa isa) {
    if (count == 0) return;
    // A power of two from 16 (whole vectors) that divides both row lengths.
    if (kv_type == JANUS_KV_INT8 && (kv_block < 16 || (kv_block & (kv_block - 1)) || head_dim % kv_block ||
                                     value_dim % kv_block)) abort();
    unsigned kv_block_shift = 0;
    while (kv_type == JANUS_KV_INT8 && ((size_t)1 << kv_block_shift) < kv_block) kv_block_shift++;
    if (threads == 0) threads = janus_threads_count();
    // A decode batch's slots fit on the stack; this runs for every layer of every step.
    attention_job stack_jobs[STACK_SEQUENCES];
    size_t stack_starts[2 * (STACK_SEQUENCES + 1)];
    int on_stack = count <= STACK_SEQUENCES;
    attention_job *jobs = on_stack ? stack_jobs : malloc(count * sizeof *jobs);
    size_t *starts = on_stack ? stack_starts : malloc(2 * (count + 1) * sizeof *starts);
    if (!jobs || !starts) abort();
    attention_batch batch = { .jobs = jobs, .first_unit = starts, .first_query = starts + count + 1, .count = count };
    size_t units = 0, queries = 0, partial_floats = 0;
    for (size_t s = 0; s < count; s++) {
        const janus_attention_sequence *sequence = &sequences[s];
        // Blocks depend on this sequence alone, so its result does not depend on the batch.
        size_t blocks = sequence->keys / MIN_BLOCK_POSITIONS;
        if (blocks > threads * BLOCKS_PER_THREAD) blocks = threads * BLOCKS_PER_THREAD;
        jobs[s] = (attention_job){
            .q = sequence->q, .k = sequence->k, .v = sequence->v, .out = sequence->out,
            .k_scales = sequence->k_scales, .v_scales = sequence->v_scales, .kv_block_shift = kv_block_shift,
            .queries = sequence->queries, .heads = heads, .kv_heads = kv_heads, .keys = sequence->keys,
            .head_dim = head_dim, .value_dim = value_dim, .scale = scale, .causal = causal,
            .blocks = blocks > 0 ? blocks : 1, .unit = attention_unit(kv_type, isa),
        };
        batch.first_unit[s] = units;
        batch.first_query[s] = queries;
        units += sequence->queries * jobs[s].blocks;
        queries += sequence->queries;
        partial_floats += sequence->queries * jobs[s].blocks * heads * attention_partial_stride(&jobs[s]);
    }
    batch.first_unit[count] = units;
    batch.first_query[count] = queries;
    float *partials = janus_thread_scratch(JANUS_SCRATCH_ATTENTION_BLOCKS, partial_floats * sizeof(float));
    for (size_t s = 0; s < count; s++) {
        jobs[s].partials = partials;
        partials += sequences[s].queries * jobs[s].blocks * heads * attention_partial_stride(&jobs[s]);
    }
    janus_parallel_for(units, threads, run_units, &batch);
    // A query's merge is a few microseconds: worth a hand-off only for many of them.
    if (queries >= PARALLEL_MERGE_QUERIES) janus_parallel_for(queries, threads, merge_queries, &batch);
    else merge_queries(&batch, 0, queries);
    if (!on_stack) {
        free(starts);
        free(jobs);
    }
}

void janus_attention_few_queries(const float *q, const void *k, const void *v, janus_kv_type kv_type,
                                 float *out, size_t queries, size_t heads, size_t kv_heads, size_t keys,
                                 size_t head_dim, size_t value_dim, float scale, int causal,
                                 size_t threads, janus_isa isa) {
    if (queries == 0) return;
    if (kv_type == JANUS_KV_INT8) abort();  // its scales come through the batch
    janus_attention_sequence sequence = { .q = q, .k = k, .v = v, .out = out, .queries = queries, .keys = keys };
    janus_attention_few_queries_batch(&sequence, 1, kv_type, 0, heads, kv_heads, head_dim, value_dim, scale, causal,
                                      threads, isa);
}

typedef struct {
    const float *x;
    size_t block;
    int8_t *values;
    float *scales;
} quantize_job;

/// Blocks [begin, end). A block holding NaN or ±Inf gets a NaN scale (and zeros), so it
/// reads back as NaN, as the f32 values would spread through attention.
static void quantize_blocks(void *context, size_t begin, size_t end) {
    const quantize_job *job = context;
    size_t block = job->block;
    for (size_t b = begin; b < end; b++) {
        const float *in = job->x + b * block;
        int8_t *out = job->values + b * block;
        float maximum = 0;
        int finite = 1;
        for (size_t i = 0; i < block; i++) {
            maximum = fmaxf(maximum, fabsf(in[i]));
            finite &= isfinite(in[i]);
        }
        float step = maximum / 127.0f;
        job->scales[b] = finite ? step : NAN;
        if (!finite || step == 0) {
            memset(out, 0, block);
            continue;
        }
        for (size_t i = 0; i < block; i++) {
            // |x / step| <= 127: adding and subtracting 1.5 * 2^23 rounds to nearest even.
            float q = (in[i] / step + 12582912.0f) - 12582912.0f;
            out[i] = (int8_t)(q > 127 ? 127 : q < -127 ? -127 : q);
        }
    }
}

/// Blocks per pool job below which quantising stays on the calling thread (a decode step's).
#define QUANTIZE_PARALLEL_BLOCKS 4096

void janus_quantize_kv_rows(const float *x, size_t rows, size_t dim, size_t block, int8_t *values, float *scales) {
    quantize_job job = { .x = x, .block = block, .values = values, .scales = scales };
    size_t blocks = rows * dim / block;
    if (blocks < QUANTIZE_PARALLEL_BLOCKS) quantize_blocks(&job, 0, blocks);
    else janus_parallel_for(blocks, 0, quantize_blocks, &job);
}

void janus_dequantize_kv_rows(const int8_t *values, const float *scales, size_t rows, size_t dim, size_t block,
                              float *out) {
    for (size_t i = 0; i < rows * dim; i++) out[i] = (float)values[i] * scales[i / block];
}
