// Private to CJanusKernels: SIMD variants of the elementwise kernels (same contracts as
// janus_silu / janus_swiglu / janus_gelu_erf; results within a few ulp of libm's).
#ifndef JANUS_ELEMENTWISE_SIMD_H
#define JANUS_ELEMENTWISE_SIMD_H

#include <stddef.h>

void janus_silu_avx512(const float *x, float *out, size_t count);
/// SiLU on the calling thread, AVX-512 where the CPU has it (`out` may be `x`): the body
/// of janus_silu's threads, and of kernels that apply it to a span they just wrote.
void janus_silu_serial(const float *x, float *out, size_t count);
void janus_gelu_erf_avx512(const float *x, float *out, size_t count);
void janus_swiglu_avx512(const float *gate, const float *up, float *out, size_t count);

#endif
