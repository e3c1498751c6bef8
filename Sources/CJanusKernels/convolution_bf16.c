// janus_conv_bf16: a stride-1 convolution as an implicit GEMM on bf16 pairs. The input
// band is staged once as [C/2][rows][W + 2·pad] pairs of consecutive channels (zero
// borders), so the 48 output pixels of a tile read 48 consecutive pairs for every
// (channel pair, ky, kx) and nothing is unfolded (no im2col buffer).
#include "bf16_pairs.h"
#include "convolution_bf16.h"
#include "cpu_features.h"
#include "normalization.h"

#include <stdlib.h>
#include <string.h>

static size_t channel_pairs(size_t channels) { return (channels + 1) / 2; }
static size_t channel_tiles(size_t channels) { return (channels + CONV_TILE_CHANNELS - 1) / CONV_TILE_CHANNELS; }

size_t janus_conv_bf16_weight_count(size_t out_channels, size_t in_channels, size_t kernel_h, size_t kernel_w) {
    return channel_tiles(out_channels) * channel_pairs(in_channels) * kernel_h * kernel_w * CONV_TILE_CHANNELS;
}

typedef struct {
    const float *weight;
    size_t out_channels, in_channels, taps;
    uint32_t *packed;
} pack_job;

static void pack_channel_tiles(void *context, size_t begin, size_t end) {
    const pack_job *job = context;
    size_t taps = job->taps, steps = channel_pairs(job->in_channels) * taps;
    for (size_t tile = begin; tile < end; tile++) {
        for (size_t step = 0; step < steps; step++) {
            size_t pair = step / taps, tap = step % taps;
            for (size_t m = 0; m < CONV_TILE_CHANNELS; m++) {
                size_t o = tile * CONV_TILE_CHANNELS + m, c = 2 * pair;
                float even = 0, odd = 0;
                if (o < job->out_channels) {
                    even = job->weight[(o * job->in_channels + c) * taps + tap];
                    if (c + 1 < job->in_channels) odd = job->weight[(o * job->in_channels + c + 1) * taps + tap];
                }
                job->packed[(tile * steps + step) * CONV_TILE_CHANNELS + m] = janus_bf16_pair(even, odd);
            }
        }
    }
}

void janus_conv_bf16_pack_weights(const float *weight, size_t out_channels, size_t in_channels,
                                  size_t kernel_h, size_t kernel_w, uint32_t *packed) {
    pack_job job = { .weight = weight, .out_channels = out_channels, .in_channels = in_channels,
                     .taps = kernel_h * kernel_w, .packed = packed };
    janus_parallel_for(channel_tiles(out_channels), 0, pack_channel_tiles, &job);
}

size_t janus_conv_bf16_staging_count(size_t in_channels, size_t width, size_t kernel_h, size_t kernel_w,
                                     size_t pad, size_t row_count) {
    size_t rows = row_count + kernel_h - 1;
    // Slack: the last tile of the last row reads up to a tile's width past the row.
    return channel_pairs(in_channels) * rows * (width + 2 * pad) + CONV_TILE_PIXELS + kernel_w;
}

typedef struct {
    const float *x;
    size_t channels, height, width, kernel_h, kernel_w, pad;
    size_t out_channels, out_height, out_width;
    size_t row_begin, staged_rows, staged_width;
    const uint32_t *weights;
    const float *bias;
    float *out;
    uint32_t *staging;
    janus_conv_tile_kernel tile;
    const janus_conv_input *input;  // NULL: the input as it is
    int accumulate;
} conv_job;

/// Pixels of a row transformed at a time (on the stack) when the input is staged through
/// an upsampling or a GroupNorm.
#define TRANSFORMED_CHUNK 256

/// Input pixels [x0, x0 + count) of channel `channel` in row `row` of the image the
/// convolution sees: the source's, through the job's input transform (into `scratch`)
/// when it has one.
static const float *input_run(const conv_job *job, size_t channel, size_t row, size_t x0, size_t count,
                              float *scratch) {
    const janus_conv_input *input = job->input;
    int upsample = input && input->upsample_2x;
    size_t source_height = upsample ? job->height / 2 : job->height, source_width = upsample ? job->width / 2 : job->width;
    const float *source = job->x + (channel * source_height + (upsample ? row / 2 : row)) * source_width;
    if (upsample) {
        for (size_t i = 0; i < count; i++) scratch[i] = source[(x0 + i) / 2];
        source = scratch;
    } else {
        source += x0;
    }
    if (!input || !input->mean) return source;
    size_t group = channel / (job->channels / input->groups);
    janus_normalize_channel_span(source, scratch, count, input->mean[group], input->inverse_std[group],
                                 input->weight ? input->weight + channel : NULL,
                                 input->bias ? input->bias + channel : NULL, input->silu);
    return scratch;
}

/// Staged rows [begin, end) of the (pair, row) grid: row r holds input row
/// row_begin - pad + r, column c holds input column c - pad.
static void stage(void *context, size_t begin, size_t end) {
    const conv_job *job = context;
    float even_scratch[TRANSFORMED_CHUNK], odd_scratch[TRANSFORMED_CHUNK];
    for (size_t index = begin; index < end; index++) {
        size_t pair = index / job->staged_rows, r = index % job->staged_rows;
        uint32_t *staged = job->staging + index * job->staged_width;
        ptrdiff_t row = (ptrdiff_t)(job->row_begin + r) - (ptrdiff_t)job->pad;
        memset(staged, 0, job->staged_width * 4);
        if (row < 0 || row >= (ptrdiff_t)job->height) continue;
        int has_odd = 2 * pair + 1 < job->channels;
        for (size_t x0 = 0; x0 < job->width; x0 += TRANSFORMED_CHUNK) {
            size_t count = job->width - x0 < TRANSFORMED_CHUNK ? job->width - x0 : TRANSFORMED_CHUNK;
            const float *even = input_run(job, 2 * pair, (size_t)row, x0, count, even_scratch);
            uint32_t *dst = staged + job->pad + x0;
            if (has_odd) {
                const float *odd = input_run(job, 2 * pair + 1, (size_t)row, x0, count, odd_scratch);
                for (size_t x = 0; x < count; x++) dst[x] = janus_bf16_pair(even[x], odd[x]);
            } else {
                for (size_t x = 0; x < count; x++) dst[x] = janus_bf16_pair(even[x], 0);
            }
        }
    }
}

/// Output channels [8·tile, 8·tile + 8) for one run of `lanes` consecutive staged
/// positions from `b`, stored from `out` with `out_stride` floats between channels.
/// Returns how many channels the tile holds.
static size_t convolve_tile(const conv_job *job, size_t tile, const uint32_t *b, size_t lanes, float *out,
                            size_t out_stride, int accumulate) {
    size_t pairs = channel_pairs(job->channels), steps = pairs * job->kernel_h * job->kernel_w;
    size_t o0 = tile * CONV_TILE_CHANNELS;
    size_t channels = job->out_channels - o0 < CONV_TILE_CHANNELS ? job->out_channels - o0 : CONV_TILE_CHANNELS;
    job->tile(job->weights + tile * steps * CONV_TILE_CHANNELS, pairs, job->kernel_h, job->kernel_w,
              b, job->staged_rows * job->staged_width, job->staged_width,
              job->bias ? job->bias + o0 : NULL, channels, lanes, out, out_stride, accumulate);
    return channels;
}

/// Every tile of output channels for one run of pixels of one output row, stored from
/// `out` (the run's first pixel in channel 0).
static void convolve_run(const conv_job *job, const uint32_t *b, size_t lanes, float *out) {
    size_t out_plane = job->out_height * job->out_width;
    for (size_t tile = 0; tile < channel_tiles(job->out_channels); tile++)
        convolve_tile(job, tile, b, lanes, out + tile * CONV_TILE_CHANNELS * out_plane, out_plane, job->accumulate);
}

/// Units [begin, end): one output row of the band × one run of CONV_TILE_PIXELS pixels,
/// through every tile of output channels. For widths that are whole runs.
static void convolve_rows(void *context, size_t begin, size_t end) {
    const conv_job *job = context;
    size_t pixel_tiles = job->out_width / CONV_TILE_PIXELS;
    for (size_t unit = begin; unit < end; unit++) {
        size_t r = unit / pixel_tiles, x0 = (unit % pixel_tiles) * CONV_TILE_PIXELS;
        convolve_run(job, job->staging + r * job->staged_width + x0, CONV_TILE_PIXELS,
                     job->out + (job->row_begin + r) * job->out_width + x0);
    }
}

/// Units [begin, end): runs of CONV_TILE_PIXELS consecutive positions of the staged grid
/// read as one long row, so a run carries on into the next output row instead of
/// leaving the rest of its lanes idle (a 24-pixel row filled half of a run). Position
/// q = r · staged_width + x is output pixel (r, x) when x < out_width; the positions in
/// the padding between rows are computed and dropped. Runs inside one output row are
/// stored directly, the others through a block.
static void convolve_flat(void *context, size_t begin, size_t end) {
    const conv_job *job = context;
    size_t stride = job->staged_width, rows = job->staged_rows - job->kernel_h + 1, positions = rows * stride;
    size_t out_plane = job->out_height * job->out_width;
    for (size_t unit = begin; unit < end; unit++) {
        size_t q0 = unit * CONV_TILE_PIXELS;
        size_t lanes = positions - q0 < CONV_TILE_PIXELS ? positions - q0 : CONV_TILE_PIXELS;
        size_t r = q0 / stride, x0 = q0 % stride;
        const uint32_t *b = job->staging + q0;
        if (x0 + lanes <= job->out_width) {
            convolve_run(job, b, lanes, job->out + (job->row_begin + r) * job->out_width + x0);
            continue;
        }
        float block[CONV_TILE_CHANNELS * CONV_TILE_PIXELS];
        for (size_t tile = 0; tile < channel_tiles(job->out_channels); tile++) {
            size_t channels = convolve_tile(job, tile, b, lanes, block, CONV_TILE_PIXELS, 0);
            float *out = job->out + tile * CONV_TILE_CHANNELS * out_plane;
            for (size_t l = 0; l < lanes;) {
                size_t q = q0 + l, x = q % stride, row = q / stride;
                size_t run = stride - x < lanes - l ? stride - x : lanes - l;  // to the end of this staged row
                size_t kept = x < job->out_width ? (job->out_width - x < run ? job->out_width - x : run) : 0;
                for (size_t m = 0; m < channels && kept > 0; m++) {
                    float *target = out + m * out_plane + (job->row_begin + row) * job->out_width + x;
                    const float *source = block + m * CONV_TILE_PIXELS + l;
                    if (job->accumulate) {
                        for (size_t i = 0; i < kept; i++) target[i] = source[i] + target[i];
                    } else {
                        memcpy(target, source, kept * 4);
                    }
                }
                l += run;
            }
        }
    }
}

void janus_conv_bf16(const float *x, size_t channels, size_t height, size_t width,
                     const uint32_t *packed_weights, size_t out_channels, size_t kernel_h, size_t kernel_w,
                     size_t pad, const float *bias, const janus_conv_input *input, int accumulate,
                     float *out, size_t row_begin, size_t row_count, uint32_t *staging, size_t threads,
                     janus_isa isa) {
    size_t out_height = height + 2 * pad - kernel_h + 1, out_width = width + 2 * pad - kernel_w + 1;
    if (row_count == 0 || out_channels == 0) return;
    if (input && input->upsample_2x && (height % 2 || width % 2)) abort();  // no source of that size
    conv_job job = {
        .x = x, .channels = channels, .height = height, .width = width,
        .kernel_h = kernel_h, .kernel_w = kernel_w, .pad = pad,
        .out_channels = out_channels, .out_height = out_height, .out_width = out_width,
        .row_begin = row_begin, .staged_rows = row_count + kernel_h - 1, .staged_width = width + 2 * pad,
        .weights = packed_weights, .bias = bias, .out = out, .staging = staging,
        .tile = janus_conv_tile_portable, .input = input, .accumulate = accumulate,
    };
#if JANUS_HAS_X86_VARIANTS
    if (isa == JANUS_ISA_BEST && janus_cpu_has_avx512_bf16()) job.tile = janus_conv_tile_avx512_bf16;
#endif
    (void)isa;
    size_t slack = janus_conv_bf16_staging_count(channels, width, kernel_h, kernel_w, pad, row_count) -
                   channel_pairs(channels) * job.staged_rows * job.staged_width;
    memset(staging + channel_pairs(channels) * job.staged_rows * job.staged_width, 0, slack * 4);
    janus_parallel_for(channel_pairs(channels) * job.staged_rows, threads, stage, &job);
    if (out_width % CONV_TILE_PIXELS == 0) {
        janus_parallel_for(row_count * (out_width / CONV_TILE_PIXELS), threads, convolve_rows, &job);
    } else {
        size_t positions = row_count * job.staged_width;
        janus_parallel_for((positions + CONV_TILE_PIXELS - 1) / CONV_TILE_PIXELS, threads, convolve_flat, &job);
    }
}

void janus_conv_tile_portable(const uint32_t *a, size_t pairs, size_t kernel_h, size_t kernel_w,
                              const uint32_t *b, size_t plane, size_t row_stride,
                              const float *bias, size_t channels, size_t pixels,
                              float *out, size_t out_stride, int accumulate) {
    float acc[CONV_TILE_CHANNELS][CONV_TILE_PIXELS] = {{0}};
    for (size_t pair = 0; pair < pairs; pair++)
        for (size_t ky = 0; ky < kernel_h; ky++)
            for (size_t kx = 0; kx < kernel_w; kx++, a += CONV_TILE_CHANNELS) {
                const uint32_t *row = b + pair * plane + ky * row_stride + kx;
                for (size_t m = 0; m < channels; m++) {
                    uint32_t w = a[m];
                    uint32_t w_even_bits = w << 16, w_odd_bits = w & 0xffff0000u;
                    float w_even, w_odd;
                    memcpy(&w_even, &w_even_bits, 4);
                    memcpy(&w_odd, &w_odd_bits, 4);
                    for (size_t l = 0; l < pixels; l++) {
                        uint32_t even_bits = row[l] << 16, odd_bits = row[l] & 0xffff0000u;
                        float even, odd;
                        memcpy(&even, &even_bits, 4);
                        memcpy(&odd, &odd_bits, 4);
                        acc[m][l] += w_even * even + w_odd * odd;
                    }
                }
            }
    for (size_t m = 0; m < channels; m++)
        for (size_t l = 0; l < pixels; l++) {
            float result = acc[m][l] + (bias ? bias[m] : 0);
            out[m * out_stride + l] = accumulate ? result + out[m * out_stride + l] : result;
        }
}
