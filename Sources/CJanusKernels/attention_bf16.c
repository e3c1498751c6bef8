// janus_attention_bf16: attention for many queries (prefill, SigLIP) under bf16 compute.
// Q, K and V are rounded to bf16 and packed as pairs along the dimension each product
// sums over (head dimension for QKᵀ, positions for PV), so both products run on the
// same register tile of vdpbf16ps with broadcast query pairs; scores and softmax stay
// f32 and the probabilities are rounded to bf16 for PV, as flash attention does.
#include "attention_bf16.h"
#include "bf16_pairs.h"
#include "cpu_features.h"
#include "thread_scratch.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static size_t round_up(size_t value, size_t multiple) { return (value + multiple - 1) / multiple * multiple; }

/// Element `index` of a key or value tensor stored as f32 or bf16 (a bf16 KV cache is read
/// as it is stored: its values are already bf16, so packing them rounds nothing).
static inline float kv_value(const void *base, janus_float_type type, size_t index) {
    if (type == JANUS_FLOAT_F32) return ((const float *)base)[index];
    uint32_t bits = (uint32_t)((const uint16_t *)base)[index] << 16;
    float value;
    memcpy(&value, &bits, 4);
    return value;
}

typedef struct {
    size_t queries, heads, kv_heads, keys, head_dim, value_dim;
    size_t query_pairs;       // head_dim / 2 rounded up
    size_t key_columns;       // keys rounded up to whole tiles
    size_t value_columns;     // value_dim rounded up to whole tiles
    const uint32_t *q;        // [queries][heads][query_pairs]
    const uint32_t *kt;       // per kv head: [query_pairs][key_columns]
    const uint32_t *v;        // per kv head: [key_columns / 2][value_columns]
    float *out;
    float scale;
    int causal;
    janus_pair_tile tile;
    janus_softmax_to_pairs softmax;
} attention_job;

static void attend(void *context, size_t begin, size_t end) {
    const attention_job *job = context;
    size_t blocks = (job->queries + PAIR_TILE_ROWS - 1) / PAIR_TILE_ROWS;
    size_t scores_bytes = PAIR_TILE_ROWS * job->key_columns * 4;
    float *scores = janus_thread_scratch(JANUS_SCRATCH_SCORES, scores_bytes * 2);
    uint32_t *probabilities = (uint32_t *)((uint8_t *)scores + scores_bytes);
    size_t probability_pairs = job->key_columns / 2;
    for (size_t unit = begin; unit < end; unit++) {
        size_t head = unit / blocks, t0 = (unit % blocks) * PAIR_TILE_ROWS;
        size_t kv_head = head / (job->heads / job->kv_heads);
        size_t rows = job->queries - t0 < PAIR_TILE_ROWS ? job->queries - t0 : PAIR_TILE_ROWS;
        // Keys the last query of the block sees; later ones are masked for every row.
        size_t seen = job->causal ? job->keys - job->queries + t0 + rows : job->keys;
        const uint32_t *q = job->q + (t0 * job->heads + head) * job->query_pairs;
        const uint32_t *kt = job->kt + kv_head * job->query_pairs * job->key_columns;
        for (size_t n0 = 0; n0 < seen; n0 += PAIR_TILE_COLUMNS)
            job->tile(q, job->heads * job->query_pairs, kt + n0, job->key_columns, job->query_pairs, rows,
                      seen - n0 < PAIR_TILE_COLUMNS ? seen - n0 : PAIR_TILE_COLUMNS, scores + n0, job->key_columns);
        size_t seen_pairs = (seen + 1) / 2;
        for (size_t m = 0; m < rows; m++) {
            size_t visible = job->causal ? job->keys - job->queries + t0 + m + 1 : job->keys;
            job->softmax(scores + m * job->key_columns, visible, seen_pairs, job->scale,
                         probabilities + m * probability_pairs);
        }
        const uint32_t *v = job->v + kv_head * probability_pairs * job->value_columns;
        float *out = job->out + (t0 * job->heads + head) * job->value_dim;
        for (size_t n0 = 0; n0 < job->value_dim; n0 += PAIR_TILE_COLUMNS)
            job->tile(probabilities, probability_pairs, v + n0, job->value_columns, seen_pairs, rows,
                      job->value_dim - n0 < PAIR_TILE_COLUMNS ? job->value_dim - n0 : PAIR_TILE_COLUMNS,
                      out + n0, job->heads * job->value_dim);
    }
}

typedef struct {
    const attention_job *job;  // shapes
    const float *q;
    const void *k, *v;
    janus_float_type kv_type;
    size_t q_stride, k_stride, v_stride;  // elements from one position to the next
    uint32_t *packed_q, *packed_kt, *packed_v;  // the job's q, kt and v, being written
} pack_job;

/// Keys per unit of the operand packing (even: values pack two keys per pair).
#define PACKED_KEYS_PER_UNIT 32

/// Units [0, queries) pack one query row of every head; each later unit packs
/// PACKED_KEYS_PER_UNIT keys (transposed) and values of one kv head.
static void pack_operands(void *context, size_t begin, size_t end) {
    const pack_job *packing = context;
    const attention_job *job = packing->job;
    size_t qp = job->query_pairs, kc = job->key_columns, vc = job->value_columns;
    size_t head_dim = job->head_dim, value_dim = job->value_dim, kv_heads = job->kv_heads, keys = job->keys;
    size_t key_blocks = (keys + PACKED_KEYS_PER_UNIT - 1) / PACKED_KEYS_PER_UNIT;
    for (size_t unit = begin; unit < end; unit++) {
        if (unit < job->queries) {
            for (size_t h = 0; h < job->heads; h++) {
                const float *row = packing->q + unit * packing->q_stride + h * head_dim;
                uint32_t *packed = packing->packed_q + (unit * job->heads + h) * qp;
                for (size_t j = 0; j < qp; j++)
                    packed[j] = janus_bf16_pair(row[2 * j], 2 * j + 1 < head_dim ? row[2 * j + 1] : 0);
            }
            continue;
        }
        size_t h = (unit - job->queries) / key_blocks, s0 = (unit - job->queries) % key_blocks * PACKED_KEYS_PER_UNIT;
        size_t s1 = keys - s0 < PACKED_KEYS_PER_UNIT ? keys : s0 + PACKED_KEYS_PER_UNIT;
        const void *k = packing->k, *v = packing->v;
        janus_float_type type = packing->kv_type;
        uint32_t *kt = packing->packed_kt + h * qp * kc, *vp = packing->packed_v + h * (kc / 2) * vc;
        for (size_t s = s0; s < s1; s++) {
            size_t key = s * packing->k_stride + h * head_dim;
            for (size_t j = 0; j < qp; j++)
                kt[j * kc + s] = janus_bf16_pair(kv_value(k, type, key + 2 * j),
                                                 2 * j + 1 < head_dim ? kv_value(k, type, key + 2 * j + 1) : 0);
        }
        for (size_t i = s0 / 2; 2 * i < s1; i++) {
            size_t even = 2 * i * packing->v_stride + h * value_dim, odd = even + packing->v_stride;
            int has_odd = 2 * i + 1 < keys;
            for (size_t d = 0; d < value_dim; d++)
                vp[i * vc + d] = janus_bf16_pair(kv_value(v, type, even + d), has_odd ? kv_value(v, type, odd + d) : 0);
        }
    }
}

void janus_attention_bf16(const float *q, const void *k, const void *v, janus_float_type kv_type, float *out,
                          size_t queries, size_t heads, size_t kv_heads, size_t keys,
                          size_t head_dim, size_t value_dim, float scale, int causal,
                          size_t threads, janus_isa isa) {
    janus_attention_bf16_strided(q, heads * head_dim, k, kv_heads * head_dim, v, kv_heads * value_dim, kv_type, out,
                                 queries, heads, kv_heads, keys, head_dim, value_dim, scale, causal, threads, isa);
}

void janus_attention_bf16_strided(const float *q, size_t q_stride, const void *k, size_t k_stride, const void *v,
                                  size_t v_stride, janus_float_type kv_type, float *out,
                                  size_t queries, size_t heads, size_t kv_heads, size_t keys,
                                  size_t head_dim, size_t value_dim, float scale, int causal,
                                  size_t threads, janus_isa isa) {
    if (queries == 0 || heads == 0) return;
    attention_job job = {
        .queries = queries, .heads = heads, .kv_heads = kv_heads, .keys = keys,
        .head_dim = head_dim, .value_dim = value_dim, .query_pairs = (head_dim + 1) / 2,
        .key_columns = round_up(keys, PAIR_TILE_COLUMNS), .value_columns = round_up(value_dim, PAIR_TILE_COLUMNS),
        .out = out, .scale = scale, .causal = causal,
        .tile = janus_pair_tile_portable, .softmax = janus_softmax_row_to_pairs,
    };
#if JANUS_HAS_X86_VARIANTS
    if (isa == JANUS_ISA_BEST && janus_cpu_has_avx512_bf16()) {
        job.tile = janus_pair_tile_avx512_bf16;
        job.softmax = janus_softmax_row_to_pairs_avx512;
    }
#endif
    (void)isa;
    size_t qp = job.query_pairs, kc = job.key_columns, vc = job.value_columns;
    uint32_t *packed_q = malloc(queries * heads * qp * 4);
    uint32_t *packed_kt = calloc(kv_heads * qp * kc, 4);
    uint32_t *packed_v = calloc(kv_heads * (kc / 2) * vc, 4);
    if (!packed_q || !packed_kt || !packed_v) abort();
    job.q = packed_q;
    job.kt = packed_kt;
    job.v = packed_v;
    pack_job packing = { .job = &job, .q = q, .k = k, .v = v, .kv_type = kv_type,
                         .q_stride = q_stride, .k_stride = k_stride, .v_stride = v_stride,
                         .packed_q = packed_q, .packed_kt = packed_kt, .packed_v = packed_v };
    size_t key_blocks = (keys + PACKED_KEYS_PER_UNIT - 1) / PACKED_KEYS_PER_UNIT;
    janus_parallel_for(queries + kv_heads * key_blocks, threads, pack_operands, &packing);
    size_t units = heads * ((queries + PAIR_TILE_ROWS - 1) / PAIR_TILE_ROWS);
    janus_parallel_for(units, threads, attend, &job);
    free(packed_q);
    free(packed_kt);
    free(packed_v);
}

static inline float pair_low(uint32_t p) { uint32_t b = p << 16; float f; memcpy(&f, &b, 4); return f; }
static inline float pair_high(uint32_t p) { uint32_t b = p & 0xffff0000u; float f; memcpy(&f, &b, 4); return f; }

void janus_pair_tile_portable(const uint32_t *a, size_t lda, const uint32_t *b, size_t ldb, size_t pairs,
                              size_t rows, size_t columns, float *out, size_t ldc) {
    for (size_t m = 0; m < rows; m++)
        for (size_t n = 0; n < columns; n++) {
            float sum = 0;
            for (size_t j = 0; j < pairs; j++) {
                uint32_t x = a[m * lda + j], y = b[j * ldb + n];
                sum += pair_low(x) * pair_low(y) + pair_high(x) * pair_high(y);
            }
            out[m * ldc + n] = sum;
        }
}

void janus_softmax_row_to_pairs(float *row, size_t visible, size_t pair_count, float scale, uint32_t *pairs) {
    float max = -INFINITY;
    for (size_t i = 0; i < visible; i++) {
        row[i] *= scale;
        if (row[i] > max) max = row[i];
    }
    float sum = 0;
    for (size_t i = 0; i < visible; i++) {
        row[i] = expf(row[i] - max);
        sum += row[i];
    }
    for (size_t i = 0; i < visible; i++) row[i] /= sum;
    for (size_t i = visible; i < 2 * pair_count; i++) row[i] = 0;
    for (size_t i = 0; i < pair_count; i++) pairs[i] = janus_bf16_pair(row[2 * i], row[2 * i + 1]);
}
