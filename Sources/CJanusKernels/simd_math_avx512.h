// Private to CJanusKernels: vector math for the AVX-512 files. Each includer opens its
// AVX-512 target region before including this file.
#ifndef JANUS_SIMD_MATH_AVX512_H
#define JANUS_SIMD_MATH_AVX512_H

#include <immintrin.h>

/// e^t within about 1 ulp (Cephes' expf): t = n·ln 2 + r with |r| ≤ ln 2 / 2, a degree-6
/// polynomial for e^r, and vscalefps for the 2^n (which also gives inf, 0 and the
/// subnormals at the ends of the range, and passes NaN through).
static inline __m512 janus_exp_avx512(__m512 t) {
    __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(t, _mm512_set1_ps(1.44269504088896341f)),
                                    _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), t);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.9875691500e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, n);
}

#endif
