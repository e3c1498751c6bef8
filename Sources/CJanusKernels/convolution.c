#include "janus_kernels.h"
#include <string.h>

/// Output columns whose input column ox * stride + offset lies inside [0, width):
/// [*begin, *end), clamped to [0, out_width).
static void valid_columns(ptrdiff_t offset, size_t stride, size_t width, size_t out_width,
                          size_t *begin, size_t *end) {
    size_t first = offset >= 0 ? 0 : (size_t)((-offset + (ptrdiff_t)stride - 1) / (ptrdiff_t)stride);
    ptrdiff_t last_input = (ptrdiff_t)width - 1 - offset;  // largest ox * stride allowed
    size_t past_last = last_input < 0 ? 0 : (size_t)(last_input / (ptrdiff_t)stride) + 1;
    if (past_last > out_width) past_last = out_width;
    if (first > past_last) first = past_last;
    *begin = first;
    *end = past_last;
}

void janus_im2col(const float *x, size_t channels, size_t height, size_t width,
                  size_t kernel_h, size_t kernel_w, size_t stride_h, size_t stride_w,
                  size_t pad_h, size_t pad_w, size_t out_width,
                  size_t row_begin, size_t row_count, float *cols) {
    size_t row_length = row_count * out_width;
    float *destination = cols;
    for (size_t c = 0; c < channels; c++) {
        const float *plane = x + c * height * width;
        for (size_t ky = 0; ky < kernel_h; ky++) {
            for (size_t kx = 0; kx < kernel_w; kx++, destination += row_length) {
                ptrdiff_t column_offset = (ptrdiff_t)kx - (ptrdiff_t)pad_w;
                size_t begin, end;
                valid_columns(column_offset, stride_w, width, out_width, &begin, &end);
                for (size_t r = 0; r < row_count; r++) {
                    float *out = destination + r * out_width;
                    ptrdiff_t iy = (ptrdiff_t)((row_begin + r) * stride_h + ky) - (ptrdiff_t)pad_h;
                    if (iy < 0 || iy >= (ptrdiff_t)height) {
                        memset(out, 0, out_width * sizeof(float));
                        continue;
                    }
                    const float *source = plane + (size_t)iy * width;
                    memset(out, 0, begin * sizeof(float));
                    if (stride_w == 1) {
                        memcpy(out + begin, source + (ptrdiff_t)begin + column_offset,
                               (end - begin) * sizeof(float));
                    } else {
                        for (size_t ox = begin; ox < end; ox++)
                            out[ox] = source[(ptrdiff_t)(ox * stride_w) + column_offset];
                    }
                    memset(out + end, 0, (out_width - end) * sizeof(float));
                }
            }
        }
    }
}

void janus_upsample_nearest2x(const float *x, float *out, size_t planes, size_t height, size_t width) {
    size_t out_width = 2 * width;
    for (size_t p = 0; p < planes; p++) {
        const float *plane = x + p * height * width;
        float *result = out + p * 4 * height * width;
        for (size_t y = 0; y < height; y++) {
            const float *source = plane + y * width;
            float *upper = result + 2 * y * out_width;
            for (size_t i = 0; i < width; i++) {
                upper[2 * i] = source[i];
                upper[2 * i + 1] = source[i];
            }
            memcpy(upper + out_width, upper, out_width * sizeof(float));
        }
    }
}
