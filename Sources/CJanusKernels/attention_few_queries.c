// Attention for a handful of queries against a long KV cache (a decode step): per
// (query, head), one pass of dot products over the cached keys, a softmax, and one pass
// accumulating the values. Both passes stream the cache once, which is what this costs;
// BLAS calls with one query row would each pay set-up for a vector's worth of work.
#include "cpu_features.h"
#include "janus_kernels.h"
#include "thread_scratch.h"

#include <string.h>

#define LANES 16

typedef struct {
    const float *q, *k, *v;
    float *out;
    size_t queries, heads, kv_heads, keys, head_dim, value_dim;
    float scale;
    int causal;
    void (*unit)(const void *job, size_t index);  // the variant for this CPU
} attention_job;

/// a . b in LANES partial sums (vectorisable without reassociating any sum).
static inline __attribute__((always_inline)) float dot(const float *a, const float *b, size_t n) {
    float lanes[LANES] = {0};
    size_t whole = n - n % LANES;
    for (size_t i = 0; i < whole; i += LANES)
        for (size_t l = 0; l < LANES; l++) lanes[l] += a[i + l] * b[i + l];
    float total = 0;
    for (size_t l = 0; l < LANES; l++) total += lanes[l];
    for (size_t i = whole; i < n; i++) total += a[i] * b[i];
    return total;
}

/// One (query, head) pair: `index` = t * heads + h.
static inline __attribute__((always_inline)) void attend(const attention_job *job, size_t index) {
    size_t t = index / job->heads, h = index % job->heads;
    size_t kv_head = h / (job->heads / job->kv_heads);
    size_t visible = job->causal ? job->keys - job->queries + t + 1 : job->keys;
    size_t key_stride = job->kv_heads * job->head_dim, value_stride = job->kv_heads * job->value_dim;
    const float *query = job->q + index * job->head_dim;
    const float *keys = job->k + kv_head * job->head_dim;
    const float *values = job->v + kv_head * job->value_dim;
    float *out = job->out + index * job->value_dim;

    float *scores = janus_thread_scratch(JANUS_SCRATCH_SCORES, visible * sizeof(float));
    for (size_t s = 0; s < visible; s++) scores[s] = job->scale * dot(query, keys + s * key_stride, job->head_dim);
    janus_rows_softmax(scores, scores, 1, visible, 1);
    memset(out, 0, job->value_dim * sizeof(float));
    for (size_t s = 0; s < visible; s++) {
        const float *value = values + s * value_stride;
        float weight = scores[s];
        for (size_t d = 0; d < job->value_dim; d++) out[d] += weight * value[d];
    }
}

static void attend_portable(const void *job, size_t index) { attend(job, index); }

#if JANUS_HAS_X86_VARIANTS
JANUS_TARGET_AVX512 static void attend_avx512(const void *job, size_t index) { attend(job, index); }
JANUS_TARGET_AVX2 static void attend_avx2(const void *job, size_t index) { attend(job, index); }
#endif

static void run_units(void *context, size_t begin, size_t end) {
    const attention_job *job = context;
    for (size_t index = begin; index < end; index++) job->unit(job, index);
}

void janus_attention_few_queries(const float *q, const float *k, const float *v, float *out,
                                 size_t queries, size_t heads, size_t kv_heads, size_t keys,
                                 size_t head_dim, size_t value_dim, float scale, int causal,
                                 size_t threads) {
    attention_job job = {
        .q = q, .k = k, .v = v, .out = out, .queries = queries, .heads = heads, .kv_heads = kv_heads,
        .keys = keys, .head_dim = head_dim, .value_dim = value_dim, .scale = scale, .causal = causal,
        .unit = attend_portable,
    };
#if JANUS_HAS_X86_VARIANTS
    if (janus_cpu_has_avx512()) job.unit = attend_avx512;
    else if (janus_cpu_has_avx2_fma()) job.unit = attend_avx2;
#endif
    janus_parallel_for(queries * heads, threads, run_units, &job);
}
