// janus_quantize_rows_int8x2: activation rows split per block into two int8 parts for the
// int8 x int8 kernel. It runs on every linear call under bf16 compute (tens of thousands
// of values per decode step, hundreds of thousands in a prefill), so it is written to
// vectorise, and also compiled for AVX-512. Both variants give identical bits: every
// operation is elementwise IEEE arithmetic, and a maximum does not depend on order.
#include "cpu_features.h"
#include "linear_int8.h"

static inline __attribute__((always_inline)) void quantize_rows(const float *x, size_t rows, size_t k,
                                                                int8_t *high, int8_t *low, float *scales) {
    size_t blocks = k / JANUS_INT8_BLOCK;
    for (size_t block = 0; block < rows * blocks; block++) {
        const float *xs = x + block * JANUS_INT8_BLOCK;
        float largest = janus_block_largest(xs);
        float inverse = largest > 0 ? 127.0f / largest : 0;
        for (size_t i = 0; i < JANUS_INT8_BLOCK; i++) {
            float scaled = xs[i] * inverse;
            scaled = scaled > 127.0f ? 127.0f : scaled < -127.0f ? -127.0f : scaled;
            float rounded = janus_round_small(scaled);
            // scaled - rounded is exact (|scaled| < 128, |difference| ≤ 1/2), and so is * 128.
            high[block * JANUS_INT8_BLOCK + i] = (int8_t)rounded;
            low[block * JANUS_INT8_BLOCK + i] = (int8_t)janus_round_small((scaled - rounded) * 128.0f);
        }
        scales[block] = largest / 127.0f;
    }
}

static void quantize_rows_portable(const float *x, size_t rows, size_t k, int8_t *high, int8_t *low,
                                   float *scales) {
    quantize_rows(x, rows, k, high, low, scales);
}

#if JANUS_HAS_X86_VARIANTS
__attribute__((target("avx512f,avx512bw,avx512vl"))) static void
quantize_rows_avx512(const float *x, size_t rows, size_t k, int8_t *high, int8_t *low, float *scales) {
    quantize_rows(x, rows, k, high, low, scales);
}
#endif

void janus_quantize_rows_int8x2(const float *x, size_t rows, size_t k, int8_t *high, int8_t *low, float *scales) {
#if JANUS_HAS_X86_VARIANTS
    if (janus_cpu_has_avx512()) {
        quantize_rows_avx512(x, rows, k, high, low, scales);
        return;
    }
#endif
    quantize_rows_portable(x, rows, k, high, low, scales);
}
