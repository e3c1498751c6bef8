// Private to CJanusKernels: SIMD variants of the elementwise kernels (same contracts as
// janus_silu / janus_swiglu / janus_gelu_erf; results within a few ulp of libm's).
#ifndef JANUS_ELEMENTWISE_SIMD_H
#define JANUS_ELEMENTWISE_SIMD_H

#include <stddef.h>

void janus_silu_avx512(const float *x, float *out, size_t count);
/// SiLU in place on the calling thread, AVX-512 where the CPU has it (for kernels that
/// apply it to a span they just wrote, while it is still in cache).
void janus_silu_serial(float *x, size_t count);
void janus_gelu_erf_avx512(const float *x, float *out, size_t count);
void janus_swiglu_avx512(const float *gate, const float *up, float *out, size_t count);

#endif
