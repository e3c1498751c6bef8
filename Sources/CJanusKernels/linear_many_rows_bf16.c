// janus_linear_many_rows_bf16: bf16 linear layers over many activation rows (prefill,
// SigLIP, large decode batches) with the weights as the broadcast side. Each tile holds
// 12 weight rows × 32 activation rows in 24 accumulators: per pair of K elements, two
// loads of packed activation pairs and one broadcast weight pair per weight row feed 24
// vdpbf16ps, with no horizontal sums (the dot-product tile of janus_linear_streaming
// spends about a sixth of its time reducing and is bound by re-reading activations).
// The weights need no packing: consecutive bf16 elements of a row already form the
// pairs. Only the activations are packed, transposed into pairs per call.
#include "cpu_features.h"
#include "janus_kernels.h"

#include <stdlib.h>
#include <string.h>

#define WEIGHT_ROWS 12
#define ACTIVATION_COLUMNS 32

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))), apply_to = function)

/// out[m][n0 + i] = bias[n0 + i] + sum_j w_i[j] · xt[j][m] for i < rows, m < columns, with
/// xt one panel of activation pairs, [pairs][32].
static void many_rows_tile(const uint32_t *const weight_rows[WEIGHT_ROWS], size_t rows,
                           const uint32_t *xt, size_t xt_stride, size_t pairs, size_t columns,
                           const float *bias, float *out, size_t out_stride) {
    __m512 acc[WEIGHT_ROWS][2];
    for (size_t i = 0; i < WEIGHT_ROWS; i++) acc[i][0] = acc[i][1] = _mm512_setzero_ps();
    for (size_t j = 0; j < pairs; j++) {
        __m512bh x0 = (__m512bh)_mm512_loadu_si512(xt + j * xt_stride);
        __m512bh x1 = (__m512bh)_mm512_loadu_si512(xt + j * xt_stride + 16);
        for (size_t i = 0; i < WEIGHT_ROWS; i++) {
            __m512bh w = (__m512bh)_mm512_set1_epi32((int)weight_rows[i][j]);
            acc[i][0] = _mm512_dpbf16_ps(acc[i][0], w, x0);
            acc[i][1] = _mm512_dpbf16_ps(acc[i][1], w, x1);
        }
    }
    // Each accumulator is one output column for 16 activation rows: scattered stores.
    __m512i offsets = _mm512_mullo_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                         _mm512_set1_epi32((int)out_stride));
    __mmask16 low = (__mmask16)(columns >= 16 ? 0xffff : (1u << columns) - 1);
    __mmask16 high = (__mmask16)(columns <= 16 ? 0 : columns >= 32 ? 0xffff : (1u << (columns - 16)) - 1);
    for (size_t i = 0; i < WEIGHT_ROWS; i++) {
        if (i >= rows) break;
        __m512 offset = _mm512_set1_ps(bias ? bias[i] : 0);
        _mm512_mask_i32scatter_ps(out + i, low, offsets, _mm512_add_ps(acc[i][0], offset), 4);
        _mm512_mask_i32scatter_ps(out + i + 16 * out_stride, high, offsets, _mm512_add_ps(acc[i][1], offset), 4);
    }
}

/// 16 bf16 pairs from 32 consecutive floats (fewer under `mask`, the rest zero), each
/// rounded to nearest even with NaN kept quiet, exactly as janus_round_bf16.
static inline __m512i packed_pairs(const float *x, __mmask32 mask) {
    __m512i halves[2];
    for (int h = 0; h < 2; h++) {
        __m512i bits = _mm512_castps_si512(_mm512_maskz_loadu_ps((__mmask16)(mask >> (16 * h)), x + 16 * h));
        __m512i odd = _mm512_and_si512(_mm512_srli_epi32(bits, 16), _mm512_set1_epi32(1));
        __m512i rounded = _mm512_add_epi32(bits, _mm512_add_epi32(odd, _mm512_set1_epi32(0x7fff)));
        __mmask16 nan = _mm512_cmpgt_epu32_mask(_mm512_and_si512(bits, _mm512_set1_epi32(0x7fffffff)),
                                                _mm512_set1_epi32(0x7f800000));
        halves[h] = _mm512_mask_or_epi32(rounded, nan, bits, _mm512_set1_epi32(0x00400000));
    }
    // The high 16 bits of every 32-bit lane, in order: element 2p low, 2p + 1 high.
    __m512i high_words = _mm512_set_epi16(63, 61, 59, 57, 55, 53, 51, 49, 47, 45, 43, 41, 39, 37, 35, 33,
                                          31, 29, 27, 25, 23, 21, 19, 17, 15, 13, 11, 9, 7, 5, 3, 1);
    return _mm512_permutex2var_epi16(halves[0], high_words, halves[1]);
}

/// Panel `panel` of xt (see janus_linear_many_rows_bf16): 16 pairs of 32 rows at a time,
/// rounded in registers and transposed through a block that stays in L1.
static void pack_panel(const float *x, size_t rows, size_t k, size_t panel, uint32_t *xt) {
    size_t pairs = k / 2, m0 = panel * ACTIVATION_COLUMNS;
    uint32_t *out = xt + m0 * pairs;
    uint32_t block[ACTIVATION_COLUMNS][16];
    for (size_t j0 = 0; j0 < pairs; j0 += 16) {
        size_t count = pairs - j0 < 16 ? pairs - j0 : 16;
        __mmask32 mask = count == 16 ? ~(__mmask32)0 : ((__mmask32)1 << (2 * count)) - 1;
        for (size_t m = 0; m < ACTIVATION_COLUMNS; m++) {
            __m512i packed = m0 + m < rows ? packed_pairs(x + (m0 + m) * k + 2 * j0, mask) : _mm512_setzero_si512();
            _mm512_storeu_si512(block[m], packed);
        }
        for (size_t l = 0; l < count; l++)
            for (size_t m = 0; m < ACTIVATION_COLUMNS; m++) out[(j0 + l) * ACTIVATION_COLUMNS + m] = block[m][l];
    }
}

#pragma clang attribute pop
#endif

typedef struct {
    const float *x;
    size_t rows, k;
    uint32_t *xt;
} pack_job;

static void pack_panels(void *context, size_t begin, size_t end) {
#if JANUS_HAS_X86_VARIANTS
    const pack_job *job = context;
    for (size_t panel = begin; panel < end; panel++) pack_panel(job->x, job->rows, job->k, panel, job->xt);
#else
    (void)context, (void)begin, (void)end;
#endif
}

typedef struct {
    const uint8_t *weight;
    size_t k, n, rows, columns_padded;
    const uint32_t *xt;
    const float *bias;
    float *out;
} many_rows_job;

static void run_weight_tiles(void *context, size_t begin, size_t end) {
#if JANUS_HAS_X86_VARIANTS
    const many_rows_job *job = context;
    size_t pairs = job->k / 2;
    for (size_t tile = begin; tile < end; tile++) {
        size_t n0 = tile * WEIGHT_ROWS;
        size_t rows = job->n - n0 < WEIGHT_ROWS ? job->n - n0 : WEIGHT_ROWS;
        const uint32_t *weight_rows[WEIGHT_ROWS];
        for (size_t i = 0; i < WEIGHT_ROWS; i++)  // missing rows repeat the first, never stored
            weight_rows[i] = (const uint32_t *)(job->weight + (n0 + (i < rows ? i : 0)) * job->k * 2);
        for (size_t m0 = 0; m0 < job->rows; m0 += ACTIVATION_COLUMNS)
            many_rows_tile(weight_rows, rows, job->xt + m0 * pairs, ACTIVATION_COLUMNS, pairs,
                           job->rows - m0 < ACTIVATION_COLUMNS ? job->rows - m0 : ACTIVATION_COLUMNS,
                           job->bias ? job->bias + n0 : NULL, job->out + m0 * job->n + n0, job->n);
    }
#else
    (void)context, (void)begin, (void)end;
#endif
}

int janus_linear_many_rows_bf16_available(size_t k) {
    return k % 2 == 0 && janus_cpu_has_avx512_bf16();
}

void janus_linear_many_rows_bf16(const float *x, size_t rows, size_t k, const void *weight, size_t n,
                                 const float *bias, float *out, size_t threads) {
    if (rows == 0 || n == 0) return;
    size_t pairs = k / 2, padded = (rows + ACTIVATION_COLUMNS - 1) / ACTIVATION_COLUMNS * ACTIVATION_COLUMNS;
    uint32_t *xt = aligned_alloc(64, (pairs * padded * 4 + 63) / 64 * 64 + 64);
    if (!xt) abort();
    if (threads == 0) threads = janus_threads_count();
    // Panels of 32 rows, each [pairs][32] with xt[j][m] = (x[m][2j], x[m][2j+1]) in bf16,
    // so a tile reads one contiguous 128-byte line pair per step.
    pack_job packing = { .x = x, .rows = rows, .k = k, .xt = xt };
    janus_parallel_for(padded / ACTIVATION_COLUMNS, threads, pack_panels, &packing);
    many_rows_job job = {
        .weight = weight, .k = k, .n = n, .rows = rows, .columns_padded = padded,
        .xt = xt, .bias = bias, .out = out,
    };
    size_t tiles = (n + WEIGHT_ROWS - 1) / WEIGHT_ROWS;
    janus_parallel_for(tiles, threads, run_weight_tiles, &job);
    free(xt);
}
