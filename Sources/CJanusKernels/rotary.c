#include "janus_kernels.h"

void janus_rotary(const float *x, float *out, size_t tokens, size_t heads, size_t head_dim,
                  const float *cos_table, const float *sin_table, const int64_t *positions) {
    size_t half = head_dim / 2;
    for (size_t t = 0; t < tokens; t++) {
        const float *cosines = cos_table + (size_t)positions[t] * half;
        const float *sines = sin_table + (size_t)positions[t] * half;
        for (size_t h = 0; h < heads; h++) {
            const float *v = x + (t * heads + h) * head_dim;
            float *result = out + (t * heads + h) * head_dim;
            for (size_t i = 0; i < half; i++) {
                // Both halves are read before either is written, so out may alias x.
                float first = v[i], second = v[i + half];
                result[i] = first * cosines[i] - second * sines[i];
                result[i + half] = second * cosines[i] + first * sines[i];
            }
        }
    }
}
