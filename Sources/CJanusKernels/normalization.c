#include "janus_kernels.h"
#include "normalization.h"
#include "blocked_sum.h"
#include "elementwise_simd.h"

void janus_rows_rms_norm(const float *x, const float *weight, float *out,
                         size_t rows, size_t cols, float eps) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        float *result = out + r * cols;
        float mean_square = janus_sum_of_squares(row, cols) / (float)cols;
        float inverse_rms = 1.0f / sqrtf(mean_square + eps);
        // (x * rsqrt) * weight, the HF order: normalise first, then scale.
        if (weight) {
            for (size_t i = 0; i < cols; i++) result[i] = (row[i] * inverse_rms) * weight[i];
        } else {
            for (size_t i = 0; i < cols; i++) result[i] = row[i] * inverse_rms;
        }
    }
}

/// Mean and 1/sqrt(biased variance + eps) of n contiguous values (two passes: the
/// deviation form avoids the cancellation of E[x^2] - E[x]^2).
static void moments(const float *x, size_t n, float eps, float *mean, float *inverse_std) {
    float m = janus_sum(x, n) / (float)n;
    float variance = janus_sum_of_squared_deviations(x, n, m) / (float)n;
    *mean = m;
    *inverse_std = 1.0f / sqrtf(variance + eps);
}

/// out = (x - mean) * inverse_std * weight + bias over n values with one weight/bias
/// pair per element (layer norm) or one for the whole span (group norm channel).
static void normalize_span(const float *x, float *out, size_t n, float mean, float inverse_std,
                           const float *weight, const float *bias, size_t affine_stride) {
    if (weight && bias) {
        for (size_t i = 0; i < n; i++)
            out[i] = (x[i] - mean) * inverse_std * weight[i * affine_stride] + bias[i * affine_stride];
    } else if (weight) {
        for (size_t i = 0; i < n; i++) out[i] = (x[i] - mean) * inverse_std * weight[i * affine_stride];
    } else if (bias) {
        for (size_t i = 0; i < n; i++) out[i] = (x[i] - mean) * inverse_std + bias[i * affine_stride];
    } else {
        for (size_t i = 0; i < n; i++) out[i] = (x[i] - mean) * inverse_std;
    }
}

void janus_rows_layer_norm(const float *x, const float *weight, const float *bias, float *out,
                           size_t rows, size_t cols, float eps) {
    if (cols == 0) return;
    for (size_t r = 0; r < rows; r++) {
        float mean, inverse_std;
        moments(x + r * cols, cols, eps, &mean, &inverse_std);
        normalize_span(x + r * cols, out + r * cols, cols, mean, inverse_std, weight, bias, 1);
    }
}

typedef struct {
    const float *x, *weight, *bias;
    float *out;
    size_t channels, spatial, groups;
    float eps;
    int silu;
} group_norm_job;

/// The moments of group `index` (n · groups + g) of an NCHW tensor; returns the offset of
/// its first channel's plane in x, and that channel in `first_channel`.
static size_t moments_of_group(const float *x, size_t channels, size_t spatial, size_t groups, float eps,
                               size_t index, size_t *first_channel, float *mean, float *inverse_std) {
    size_t channels_per_group = channels / groups, n = index / groups;
    *first_channel = index % groups * channels_per_group;
    size_t offset = (n * channels + *first_channel) * spatial;
    moments(x + offset, channels_per_group * spatial, eps, mean, inverse_std);
    return offset;
}

/// Groups [begin, end) of all images (index n · groups + g): each group's moments and
/// normalisation are independent of the others', so the threads split the groups.
static void normalize_groups(void *context, size_t begin, size_t end) {
    const group_norm_job *job = context;
    size_t channels_per_group = job->channels / job->groups;
    for (size_t index = begin; index < end; index++) {
        size_t first_channel;
        float mean, inverse_std;
        size_t offset = moments_of_group(job->x, job->channels, job->spatial, job->groups, job->eps, index,
                                         &first_channel, &mean, &inverse_std);
        const float *group = job->x + offset;
        float *result = job->out + offset;
        for (size_t c = 0; c < channels_per_group; c++) {
            size_t channel = first_channel + c;
            janus_normalize_channel_span(group + c * job->spatial, result + c * job->spatial, job->spatial, mean,
                                         inverse_std, job->weight ? job->weight + channel : NULL,
                                         job->bias ? job->bias + channel : NULL, job->silu);
        }
    }
}

void janus_normalize_channel_span(const float *x, float *out, size_t n, float mean, float inverse_std,
                                  const float *weight, const float *bias, int silu) {
    // A stride of 0 repeats the channel's weight and bias over its plane.
    normalize_span(x, out, n, mean, inverse_std, weight, bias, 0);
    if (silu) janus_silu_serial(out, out, n);
}

typedef struct {
    const float *x;
    float *mean, *inverse_std;
    size_t channels, spatial, groups;
    float eps;
} moments_job;

static void group_moments(void *context, size_t begin, size_t end) {
    const moments_job *job = context;
    for (size_t index = begin; index < end; index++) {
        size_t first_channel;
        moments_of_group(job->x, job->channels, job->spatial, job->groups, job->eps, index, &first_channel,
                         &job->mean[index], &job->inverse_std[index]);
    }
}

void janus_group_norm_moments(const float *x, size_t batch, size_t channels, size_t spatial, size_t groups,
                              float eps, float *mean, float *inverse_std) {
    moments_job job = { .x = x, .mean = mean, .inverse_std = inverse_std, .channels = channels,
                        .spatial = spatial, .groups = groups, .eps = eps };
    size_t work = batch * channels * spatial;
    janus_parallel_for(batch * groups, work < (1u << 16) ? 1 : janus_threads_count(), group_moments, &job);
}

void janus_group_norm(const float *x, const float *weight, const float *bias, float *out,
                      size_t batch, size_t channels, size_t spatial, size_t groups, float eps, int silu) {
    if (channels / groups * spatial == 0) return;
    group_norm_job job = { .x = x, .weight = weight, .bias = bias, .out = out, .channels = channels,
                           .spatial = spatial, .groups = groups, .eps = eps, .silu = silu };
    size_t work = batch * channels * spatial, threads = janus_threads_count();
    // Small norms (a tiny test model's) stay on the calling thread.
    janus_parallel_for(batch * groups, work < (1u << 16) ? 1 : threads, normalize_groups, &job);
}
