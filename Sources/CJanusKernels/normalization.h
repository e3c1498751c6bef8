// Private to CJanusKernels: one channel's GroupNorm, shared by janus_group_norm and the
// convolution that normalises its input while staging it (the same values either way).
#ifndef JANUS_NORMALIZATION_H
#define JANUS_NORMALIZATION_H

#include <stddef.h>

/// out = (x - mean) * inverse_std * weight + bias over n values of one channel (weight /
/// bias: that channel's, or NULL), then SiLU if `silu`. out may be x.
void janus_normalize_channel_span(const float *x, float *out, size_t n, float mean, float inverse_std,
                                  const float *weight, const float *bias, int silu);

#endif
