// janus_linear_streaming: the decode-step linear layer. The work is cut into tiles of
// JANUS_TILE_N weight rows; each thread takes a contiguous run of tiles (so each reads
// its own part of the weight exactly once) and runs every activation row against a
// tile while the tile is still in cache.
#include "cpu_features.h"
#include "linear_streaming.h"
#include "thread_scratch.h"

#include <stdatomic.h>

/// Below this many multiply-adds per thread, waking another thread costs more than it saves.
#define MIN_WORK_PER_THREAD (1u << 15)

static _Atomic int default_compute = JANUS_COMPUTE_F32;

janus_compute_mode janus_default_compute_mode(void) {
    return (janus_compute_mode)atomic_load_explicit(&default_compute, memory_order_relaxed);
}

void janus_set_default_compute_mode(janus_compute_mode mode) {
    atomic_store_explicit(&default_compute, (int)mode, memory_order_relaxed);
}

typedef struct {
    const void *x;          // f32, or bf16 for the vdpbf16ps tile
    size_t x_size;          // bytes per activation element
    size_t rows, k, n;
    const uint8_t *weight;
    janus_float_type weight_type;
    size_t weight_row_bytes;
    const float *bias;
    float *out;
    janus_tile_kernel tile;
} linear_job;

/// Tile heights for `rows` activation rows: as few tiles as possible, of near-equal
/// height (16 rows run as 6 + 5 + 5, not 6 + 6 + 4).
static size_t next_tile_height(size_t rows_left, size_t tiles_left) {
    return (rows_left + tiles_left - 1) / tiles_left;
}

static void run_tiles(void *context, size_t first_tile, size_t end_tile) {
    const linear_job *job = context;
    size_t row_tiles = (job->rows + JANUS_TILE_MAX_M - 1) / JANUS_TILE_MAX_M;
    for (size_t tile = first_tile; tile < end_tile; tile++) {
        size_t n0 = tile * JANUS_TILE_N;
        size_t width = job->n - n0 < JANUS_TILE_N ? job->n - n0 : JANUS_TILE_N;
        // A last, narrower tile repeats its final row: the tile shape stays fixed and
        // the extra sums are dropped.
        const uint8_t *rows[JANUS_TILE_N];
        for (size_t g = 0; g < JANUS_TILE_N; g++)
            rows[g] = job->weight + (n0 + (g < width ? g : width - 1)) * job->weight_row_bytes;
        size_t m0 = 0;
        for (size_t t = 0; t < row_tiles; t++) {
            size_t height = next_tile_height(job->rows - m0, row_tiles - t);
            float sums[JANUS_TILE_MAX_M * JANUS_TILE_N];
            // The first pass over a tile streams it from memory and prefetches the next
            // one; later passes find it in cache.
            size_t prefetch_ahead = t == 0 ? JANUS_TILE_N * job->weight_row_bytes : 0;
            job->tile((const uint8_t *)job->x + m0 * job->k * job->x_size, job->k, job->k, height, rows,
                      job->weight_type, prefetch_ahead, sums);
            for (size_t m = 0; m < height; m++) {
                float *out = job->out + (m0 + m) * job->n + n0;
                for (size_t g = 0; g < width; g++)
                    out[g] = job->bias ? sums[m * JANUS_TILE_N + g] + job->bias[n0 + g] : sums[m * JANUS_TILE_N + g];
            }
            m0 += height;
        }
    }
}

/// The f32 tile for this CPU (or the portable one when asked).
static janus_tile_kernel f32_tile(janus_isa isa) {
#if JANUS_HAS_X86_VARIANTS
    if (isa == JANUS_ISA_BEST && janus_cpu_has_avx512()) return janus_tile_avx512;
    if (isa == JANUS_ISA_BEST && janus_cpu_has_avx2_fma()) return janus_tile_portable_avx2;
#endif
    (void)isa;
    return janus_tile_portable;
}

void janus_linear_streaming(const float *x, size_t rows, size_t k,
                            const void *weight, janus_float_type weight_type, size_t n,
                            const float *bias, float *out,
                            janus_compute_mode compute, size_t threads, janus_isa isa) {
    if (rows == 0 || n == 0) return;
    linear_job job = {
        .x = x, .x_size = 4, .rows = rows, .k = k, .n = n,
        .weight = weight, .weight_type = weight_type,
        .weight_row_bytes = k * janus_float_type_size(weight_type),
        .bias = bias, .out = out, .tile = f32_tile(isa),
    };
    if (compute == JANUS_COMPUTE_BF16) {
        // The activations are rounded to bf16 once per call. vdpbf16ps takes them as
        // bf16; every other tile takes the rounded values back in f32, which gives the
        // same products.
        uint16_t *rounded = janus_thread_scratch(JANUS_SCRATCH_ACTIVATIONS, rows * k * 6 + 64);
        janus_f32_to_bf16(x, rounded, rows * k);
#if JANUS_HAS_X86_VARIANTS
        if (isa == JANUS_ISA_BEST && weight_type == JANUS_FLOAT_BF16 && janus_cpu_has_avx512_bf16()) {
            job.x = rounded;
            job.x_size = 2;
            job.tile = janus_tile_avx512_bf16_dot;
        } else
#endif
        {
            float *widened = (float *)(rounded + ((rows * k + 31) & ~(size_t)31));
            janus_bf16_to_f32(rounded, widened, rows * k);
            job.x = widened;
        }
    }
    size_t tiles = (n + JANUS_TILE_N - 1) / JANUS_TILE_N;
    size_t work = rows * k * n;
    size_t worth = work / MIN_WORK_PER_THREAD > 0 ? work / MIN_WORK_PER_THREAD : 1;
    if (threads == 0) threads = janus_threads_count();
    janus_parallel_for(tiles, threads < worth ? threads : worth, run_tiles, &job);
}
