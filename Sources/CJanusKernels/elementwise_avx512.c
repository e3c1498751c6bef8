// AVX-512 SiLU: the VQ-16 and SDXL-VAE decoders apply it to every activation of every
// residual block, and libm's scalar expf made it a tenth of a 384px decode.
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl"))), apply_to = function)
#include "elementwise_simd.h"
#include "simd_math_avx512.h"

static inline __m512 silu_avx512(__m512 x) {
    __m512 e = janus_exp_avx512(_mm512_sub_ps(_mm512_setzero_ps(), x));
    return _mm512_div_ps(x, _mm512_add_ps(_mm512_set1_ps(1.0f), e));
}

void janus_silu_avx512(const float *x, float *out, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16) _mm512_storeu_ps(out + i, silu_avx512(_mm512_loadu_ps(x + i)));
    if (i < count) {
        __mmask16 mask = (__mmask16)((1u << (count - i)) - 1);
        _mm512_mask_storeu_ps(out + i, mask, silu_avx512(_mm512_maskz_loadu_ps(mask, x + i)));
    }
}

void janus_swiglu_avx512(const float *gate, const float *up, float *out, size_t count) {
    size_t i = 0;
    for (; i + 16 <= count; i += 16)
        _mm512_storeu_ps(out + i, _mm512_mul_ps(silu_avx512(_mm512_loadu_ps(gate + i)), _mm512_loadu_ps(up + i)));
    if (i < count) {
        __mmask16 mask = (__mmask16)((1u << (count - i)) - 1);
        __m512 product = _mm512_mul_ps(silu_avx512(_mm512_maskz_loadu_ps(mask, gate + i)),
                                       _mm512_maskz_loadu_ps(mask, up + i));
        _mm512_mask_storeu_ps(out + i, mask, product);
    }
}

#pragma clang attribute pop
#endif
