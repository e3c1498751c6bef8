// Private to CJanusKernels: runtime CPU checks beyond the public ones. The binary is
// built for baseline x86-64 (or aarch64); faster variants are separate functions
// compiled for a wider target (a target attribute, or a `#pragma clang attribute`
// region for the AVX-512 files) and chosen at run time, never inlined into baseline
// code.
#ifndef JANUS_CPU_FEATURES_H
#define JANUS_CPU_FEATURES_H

int janus_cpu_has_avx2_fma(void);

#if defined(__x86_64__)
#define JANUS_HAS_X86_VARIANTS 1
#define JANUS_TARGET_AVX2 __attribute__((target("avx2,fma,f16c")))
#endif

#endif
