#include "janus_kernels.h"
#include <string.h>

void janus_strided_copy(const float *src, float *dst, size_t rank,
                        const size_t *shape, const size_t *src_strides) {
    size_t outer = 1;
    for (size_t d = 0; d < rank; d++) {
        if (shape[d] == 0) return;
        if (d + 1 < rank) outer *= shape[d];
    }
    size_t inner = shape[rank - 1];
    size_t inner_stride = src_strides[rank - 1];
    size_t index[8] = {0};  // odometer over the outer rank - 1 dimensions
    for (size_t o = 0; o < outer; o++, dst += inner) {
        size_t offset = 0;
        for (size_t d = 0; d + 1 < rank; d++) offset += index[d] * src_strides[d];
        const float *source = src + offset;
        if (inner_stride == 1) {
            memcpy(dst, source, inner * sizeof(float));
        } else {
            for (size_t i = 0; i < inner; i++) dst[i] = source[i * inner_stride];
        }
        for (size_t d = rank - 1; d-- > 0;) {
            if (++index[d] < shape[d]) break;
            index[d] = 0;
        }
    }
}
