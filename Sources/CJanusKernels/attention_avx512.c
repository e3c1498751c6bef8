// The AVX-512 variant of the few-queries attention unit: the dot products reduce with
// one shuffle tree per score instead of a chain of scalar adds.
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl"))), apply_to = function)

static inline __attribute__((always_inline)) __mmask16 tail_mask(size_t count) {
    return (__mmask16)((1u << count) - 1);
}

static inline __attribute__((always_inline)) float attention_dot(const float *a, const float *b, size_t n) {
    __m512 even = _mm512_setzero_ps(), odd = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        even = _mm512_fmadd_ps(_mm512_loadu_ps(a + i), _mm512_loadu_ps(b + i), even);
        odd = _mm512_fmadd_ps(_mm512_loadu_ps(a + i + 16), _mm512_loadu_ps(b + i + 16), odd);
    }
    for (; i < n; i += 16) {
        __mmask16 mask = n - i >= 16 ? (__mmask16)0xffff : tail_mask(n - i);
        even = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, a + i), _mm512_maskz_loadu_ps(mask, b + i), even);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(even, odd));
}

static inline __attribute__((always_inline)) void attention_accumulate(float *out, float weight, const float *v,
                                                                       size_t n) {
    __m512 w = _mm512_set1_ps(weight);
    for (size_t d = 0; d < n; d += 16) {
        __mmask16 mask = n - d >= 16 ? (__mmask16)0xffff : tail_mask(n - d);
        __m512 sum = _mm512_fmadd_ps(w, _mm512_maskz_loadu_ps(mask, v + d), _mm512_maskz_loadu_ps(mask, out + d));
        _mm512_mask_storeu_ps(out + d, mask, sum);
    }
}

#include "attention_few_queries.h"

void janus_attend_avx512(const void *job, size_t index) { attend_unit(job, index); }

#pragma clang attribute pop
#endif
