// janus_linear_many_rows_bf16: bf16 linear layers over many activation rows (prefill,
// SigLIP, large decode batches) with the weights as the broadcast side. A tile holds 8
// weight rows × 16·V activation rows in 8·V accumulators: per pair of K elements, V
// loads of packed activation pairs and one broadcast weight pair per weight row feed 8·V
// vdpbf16ps, with no horizontal sums (the dot-product tile of janus_linear_streaming
// spends about a sixth of its time reducing and is bound by re-reading activations).
// V is 3 (48-row panels), or 2 for row counts that 48-row panels would pad by more than
// an eighth (a 32-row decode batch). Both reach ≈ 95% of the vdpbf16ps peak with the
// operands in cache. Eight weight rows, not twelve: rows of a bf16 [.., 2048] weight
// are 4 KiB apart, so a tile's rows share one L1 set, and eight ways hold only eight.
// The weights need no packing: consecutive bf16 elements of a row already form the
// pairs. Only the activations are packed, transposed into pairs per call.
#include "cpu_features.h"
#include "janus_kernels.h"
#include "thread_scratch.h"

#include <stdlib.h>
#include <string.h>

#define WEIGHT_ROWS 8
/// The widest tile: 3 activation vectors (48 rows).
#define MAX_COLUMNS 48

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl,avx512bf16"))), apply_to = function)
#include "bf16_pairs_avx512.h"

/// out[m][n0 + i] = bias[n0 + i] + sum_j w_i[j] · xt[j][m] for i < rows, m < columns, with
/// xt one panel of activation pairs, [pairs][16 · vectors]. `vectors` (V) is a constant
/// at each call, so `acc` lives in registers.
static inline __attribute__((always_inline)) void
many_rows_tile(size_t vectors, const uint32_t *const weights[], size_t rows,
               const uint32_t *xt, size_t pairs, size_t columns, const float *bias, float *out,
               size_t out_stride) {
    __m512 acc[WEIGHT_ROWS][3];
    for (size_t i = 0; i < WEIGHT_ROWS; i++)
        for (size_t v = 0; v < vectors; v++) acc[i][v] = _mm512_setzero_ps();
    for (size_t j = 0; j < pairs; j++) {
        __m512bh x[3];
        for (size_t v = 0; v < vectors; v++) x[v] = (__m512bh)_mm512_loadu_si512(xt + (j * vectors + v) * 16);
        for (size_t i = 0; i < WEIGHT_ROWS; i++) {
            __m512bh w = (__m512bh)_mm512_set1_epi32((int)weights[i][j]);
            for (size_t v = 0; v < vectors; v++) acc[i][v] = _mm512_dpbf16_ps(acc[i][v], w, x[v]);
        }
    }
    // Each accumulator is one output column for 16 activation rows; transposed in
    // registers, every activation row leaves as one run of 8 floats. (Scattering straight
    // into the output stalled on 16 lines per accumulator, a quarter of the tile at
    // K = 1024; scattering through a block in L1 was 1-2% slower than this.)
    __m256 biases = bias ? _mm256_maskz_loadu_ps((__mmask8)((1u << (rows < WEIGHT_ROWS ? rows : WEIGHT_ROWS)) - 1), bias)
                         : _mm256_setzero_ps();
    __m512 row_bias = _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castpd256_pd512(_mm256_castps_pd(biases)),
                                                          _mm256_castps_pd(biases), 1));
    __mmask8 kept = (__mmask8)((1u << (rows < WEIGHT_ROWS ? rows : WEIGHT_ROWS)) - 1);
    // Lanes 0 and 1 (then 2 and 3) of u, each followed by the same lane of w.
    __m512i first_lanes = _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
    __m512i last_lanes = _mm512_setr_epi32(8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
    for (size_t v = 0; v < vectors; v++) {
        __m512 quad[2][4];  // [weight rows 0-3 | 4-7][m mod 4]: lane j holds m = 4j + r
        for (size_t half = 0; half < 2; half++) {
            const __m512 *a = &acc[4 * half][0];
            __m512 a0 = a[0 * 3 + v], a1 = a[1 * 3 + v], a2 = a[2 * 3 + v], a3 = a[3 * 3 + v];
            __m512 t0 = _mm512_unpacklo_ps(a0, a1), t1 = _mm512_unpackhi_ps(a0, a1);
            __m512 t2 = _mm512_unpacklo_ps(a2, a3), t3 = _mm512_unpackhi_ps(a2, a3);
            quad[half][0] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t0), _mm512_castps_pd(t2)));
            quad[half][1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t0), _mm512_castps_pd(t2)));
            quad[half][2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t1), _mm512_castps_pd(t3)));
            quad[half][3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t1), _mm512_castps_pd(t3)));
        }
        for (size_t r = 0; r < 4; r++) {
            // Rows m = 16v + r, + 4, + 8, + 12: the low and high halves of two vectors.
            __m512 pairs[2] = {
                _mm512_add_ps(_mm512_permutex2var_ps(quad[0][r], first_lanes, quad[1][r]), row_bias),
                _mm512_add_ps(_mm512_permutex2var_ps(quad[0][r], last_lanes, quad[1][r]), row_bias),
            };
            for (size_t p = 0; p < 4; p++) {
                size_t m = 16 * v + 4 * p + r;
                if (m >= columns) continue;
                __m256 row = p % 2 == 0 ? _mm512_castps512_ps256(pairs[p / 2]) : _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(pairs[p / 2]), 1));
                _mm256_mask_storeu_ps(out + m * out_stride, kept, row);
            }
        }
    }
}

static void tile_8x32(const uint32_t *const weights[], size_t rows, const uint32_t *xt, size_t pairs,
                      size_t columns, const float *bias, float *out, size_t out_stride) {
    many_rows_tile(2, weights, rows, xt, pairs, columns, bias, out, out_stride);
}

static void tile_8x48(const uint32_t *const weights[], size_t rows, const uint32_t *xt, size_t pairs,
                      size_t columns, const float *bias, float *out, size_t out_stride) {
    many_rows_tile(3, weights, rows, xt, pairs, columns, bias, out, out_stride);
}

/// Panel `panel` of xt (see janus_linear_many_rows_bf16), `columns` rows wide: 16 pairs
/// of its rows at a time, rounded in registers and transposed through a block in L1.
static void pack_panel(const float *x, size_t rows, size_t k, size_t columns, size_t panel, uint32_t *xt) {
    size_t pairs = k / 2, m0 = panel * columns;
    uint32_t *out = xt + m0 * pairs;
    uint32_t block[MAX_COLUMNS][16];
    for (size_t j0 = 0; j0 < pairs; j0 += 16) {
        size_t count = pairs - j0 < 16 ? pairs - j0 : 16;
        __mmask32 mask = count == 16 ? ~(__mmask32)0 : ((__mmask32)1 << (2 * count)) - 1;
        for (size_t m = 0; m < columns; m++) {
            __m512i packed = m0 + m < rows ? janus_load_pairs_avx512(x + (m0 + m) * k + 2 * j0, mask) : _mm512_setzero_si512();
            _mm512_storeu_si512(block[m], packed);
        }
        for (size_t l = 0; l < count; l++)
            for (size_t m = 0; m < columns; m++) out[(j0 + l) * columns + m] = block[m][l];
    }
}

#pragma clang attribute pop
#endif

typedef void (*many_rows_tile_fn)(const uint32_t *const weights[], size_t rows, const uint32_t *xt, size_t pairs,
                                  size_t columns, const float *bias, float *out, size_t out_stride);

typedef struct {
    const float *x;
    size_t rows, k, columns;
    uint32_t *xt;
} pack_job;

static void pack_panels(void *context, size_t begin, size_t end) {
#if JANUS_HAS_X86_VARIANTS
    const pack_job *job = context;
    for (size_t panel = begin; panel < end; panel++) pack_panel(job->x, job->rows, job->k, job->columns, panel, job->xt);
#else
    (void)context, (void)begin, (void)end;
#endif
}

typedef struct {
    const uint8_t *weight;
    size_t k, n, rows;
    size_t columns;  // the tile: 8 × 32 or 8 × 48
    many_rows_tile_fn tile;
    const uint32_t *xt;
    const float *bias;
    float *out;
} many_rows_job;

static void run_weight_tiles(void *context, size_t begin, size_t end) {
    const many_rows_job *job = context;
    size_t pairs = job->k / 2, width = job->columns;
    for (size_t tile = begin; tile < end; tile++) {
        size_t n0 = tile * WEIGHT_ROWS;
        size_t rows = job->n - n0 < WEIGHT_ROWS ? job->n - n0 : WEIGHT_ROWS;
        const uint32_t *weight_rows[WEIGHT_ROWS];
        for (size_t i = 0; i < WEIGHT_ROWS; i++)  // missing rows repeat the first, never stored
            weight_rows[i] = (const uint32_t *)(job->weight + (n0 + (i < rows ? i : 0)) * job->k * 2);
        for (size_t m0 = 0; m0 < job->rows; m0 += width)
            job->tile(weight_rows, rows, job->xt + m0 * pairs, pairs, job->rows - m0 < width ? job->rows - m0 : width,
                      job->bias ? job->bias + n0 : NULL, job->out + m0 * job->n + n0, job->n);
    }
}

int janus_linear_many_rows_bf16_available(size_t k) {
    return k % 2 == 0 && janus_cpu_has_avx512_bf16();
}

static size_t round_up(size_t value, size_t multiple) { return (value + multiple - 1) / multiple * multiple; }

void janus_linear_many_rows_bf16(const float *x, size_t rows, size_t k, const void *weight, size_t n,
                                 const float *bias, float *out, size_t threads) {
    if (rows == 0 || n == 0) return;
#if JANUS_HAS_X86_VARIANTS
    // 48-row panels where they pad by at most an eighth, else 32-row ones.
    int wide = 8 * (round_up(rows, 48) - rows) <= round_up(rows, 48);
    many_rows_job job = {
        .weight = weight, .k = k, .n = n, .rows = rows, .columns = wide ? 48 : 32,
        .tile = wide ? tile_8x48 : tile_8x32, .bias = bias, .out = out,
    };
    size_t pairs = k / 2, padded = round_up(rows, job.columns);
    // Panels of `columns` rows, each [pairs][columns] with xt[j][m] = (x[m][2j], x[m][2j+1])
    // in bf16, so a tile reads contiguous 64-byte lines per step. The caller's scratch:
    // a fresh multi-megabyte buffer per call would be mapped and zeroed every time.
    uint32_t *xt = janus_thread_scratch(JANUS_SCRATCH_ACTIVATIONS, pairs * padded * 4 + 64);
    job.xt = xt;
    if (threads == 0) threads = janus_threads_count();
    pack_job packing = { .x = x, .rows = rows, .k = k, .columns = job.columns, .xt = xt };
    janus_parallel_for(padded / job.columns, threads, pack_panels, &packing);
    janus_parallel_for((n + WEIGHT_ROWS - 1) / WEIGHT_ROWS, threads, run_weight_tiles, &job);
#else
    (void)x, (void)k, (void)weight, (void)bias, (void)out, (void)threads;
#endif
}
