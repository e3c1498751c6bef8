// janus_linear_int8: linear layers over packed int8 weights. Each thread takes a
// contiguous run of 16-row groups, so each weight byte is read from memory once per
// call; activation rows run in passes of a few rows against each group. With many rows
// (prefill), a few groups at a time are run against every pass while they sit in L2.
#include "cpu_features.h"
#include "linear_int8.h"
#include "thread_scratch.h"

/// Below this many multiply-adds per thread, waking another thread costs more than it saves.
#define MIN_WORK_PER_THREAD (1u << 15)
/// Packed weight bytes run against all activation passes at once: well inside L2.
#define GROUPS_BYTES_IN_CACHE (128u << 10)

typedef struct {
    const float *x;  // f32 rows for the f32 kernel
    janus_int8_activations parts;  // quantised rows for the int8 kernel
    size_t rows, k, n;
    const uint8_t *values;
    const uint16_t *scales;
    const float *bias;
    float *out;
    janus_int8_f32_kernel f32_kernel;  // exactly one of the two is set
    janus_int8_dot_kernel dot_kernel;
} int8_job;

static void store_sums(const int8_job *job, size_t group, size_t m0, size_t pass, const float *sums) {
    size_t r0 = group * JANUS_INT8_GROUP;
    size_t width = job->n - r0 < JANUS_INT8_GROUP ? job->n - r0 : JANUS_INT8_GROUP;
    for (size_t m = 0; m < pass; m++) {
        float *out = job->out + (m0 + m) * job->n + r0;
        const float *row_sums = sums + m * JANUS_INT8_GROUP;
        for (size_t j = 0; j < width; j++) out[j] = job->bias ? row_sums[j] + job->bias[r0 + j] : row_sums[j];
    }
}

static void run_groups(void *context, size_t first, size_t end) {
    const int8_job *job = context;
    size_t blocks = job->k / JANUS_INT8_BLOCK;
    size_t group_bytes = JANUS_INT8_GROUP * job->k;
    size_t at_once = GROUPS_BYTES_IN_CACHE / group_bytes > 0 ? GROUPS_BYTES_IN_CACHE / group_bytes : 1;
    size_t max_pass = job->dot_kernel ? JANUS_INT8_DOT_MAX_ROWS : JANUS_INT8_F32_MAX_ROWS;
    float sums[JANUS_INT8_DOT_MAX_ROWS * JANUS_INT8_GROUP];
    for (size_t g0 = first; g0 < end; g0 += at_once) {
        size_t g1 = end - g0 < at_once ? end : g0 + at_once;
        // As few passes as possible, of near-equal height (32 rows at 6 run as 6 6 5 5 5 5,
        // not 6 6 6 6 6 2): each pass widens or loads the group's weights once.
        size_t passes = (job->rows + max_pass - 1) / max_pass;
        for (size_t m0 = 0, p = 0; p < passes; p++) {
            size_t pass = (job->rows - m0 + (passes - p) - 1) / (passes - p);
            for (size_t g = g0; g < g1; g++) {
                const uint8_t *values = job->values + g * group_bytes;
                const uint16_t *scales = job->scales + g * blocks * JANUS_INT8_GROUP;
                if (job->dot_kernel)
                    job->dot_kernel(&job->parts, m0, pass, values, scales, sums);
                else
                    job->f32_kernel(job->x + m0 * job->k, job->k, pass, job->k, values, scales, sums);
                store_sums(job, g, m0, pass, sums);
            }
            m0 += pass;
        }
    }
}

static void quantize_rows(void *context, size_t first, size_t end) {
    const int8_job *job = context;
    size_t k = job->k, blocks = k / JANUS_INT8_BLOCK;
    int8_t *high = (int8_t *)job->parts.high + first * k, *low = (int8_t *)job->parts.low + first * k;
    janus_quantize_rows_int8x2(job->x + first * k, end - first, k, high, low,
                               (float *)job->parts.scales + first * blocks);
    float *scales = (float *)job->parts.scales + first * blocks;
    int32_t *offsets = (int32_t *)job->parts.offsets + first * blocks;
    for (size_t block = 0; block < (end - first) * blocks; block++) {
        int32_t high_sum = 0, low_sum = 0;
        for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) {
            high_sum += high[block * JANUS_INT8_BLOCK + i];
            low_sum += low[block * JANUS_INT8_BLOCK + i];
        }
        offsets[block] = -128 * high_sum - low_sum;
        scales[block] /= 128;  // the kernels count in units of scale / 128 (exact: a power of two)
    }
}

static size_t useful_threads(size_t work, size_t threads) {
    size_t worth = work / MIN_WORK_PER_THREAD > 0 ? work / MIN_WORK_PER_THREAD : 1;
    if (threads == 0) threads = janus_threads_count();
    return threads < worth ? threads : worth;
}

void janus_linear_int8(const float *x, size_t rows, size_t k, const uint8_t *values, const uint16_t *scales,
                       size_t n, const float *bias, float *out, janus_compute_mode compute, size_t threads,
                       janus_isa isa) {
    if (rows == 0 || n == 0) return;
    int8_job job = {
        .x = x, .rows = rows, .k = k, .n = n, .values = values, .scales = scales, .bias = bias, .out = out,
    };
    int best = isa == JANUS_ISA_BEST;
    size_t work = rows * k * n;
    if (compute == JANUS_COMPUTE_BF16) {
        size_t blocks = k / JANUS_INT8_BLOCK;
        size_t part_bytes = (rows * k + 63) & ~(size_t)63;
        uint8_t *scratch = janus_thread_scratch(JANUS_SCRATCH_ACTIVATIONS, 2 * part_bytes + rows * blocks * 8);
        job.parts = (janus_int8_activations){
            .high = (const int8_t *)scratch,
            .low = (const int8_t *)(scratch + part_bytes),
            .scales = (const float *)(scratch + 2 * part_bytes),
            .offsets = (const int32_t *)(scratch + 2 * part_bytes + rows * blocks * 4),
            .k = k,
        };
        // Quantising costs a few operations per element: worth more threads only for many rows.
        janus_parallel_for(rows, useful_threads(rows * k / 2, threads), quantize_rows, &job);
        job.dot_kernel = janus_int8_dot_portable;
#if JANUS_HAS_X86_VARIANTS
        if (best && janus_cpu_has_avx512_vnni()) job.dot_kernel = janus_int8_dot_vnni;
        else if (best && janus_cpu_has_avx2_fma()) job.dot_kernel = janus_int8_dot_portable_avx2;
#endif
    } else {
        job.f32_kernel = janus_int8_f32_portable;
#if JANUS_HAS_X86_VARIANTS
        if (best && janus_cpu_has_avx512()) job.f32_kernel = janus_int8_f32_avx512;
        else if (best && janus_cpu_has_avx2_fma()) job.f32_kernel = janus_int8_f32_portable_avx2;
#endif
    }
    (void)best;
    size_t groups = janus_int8_packed_rows(n) / JANUS_INT8_GROUP;
    janus_parallel_for(groups, useful_threads(work, threads), run_groups, &job);
}
