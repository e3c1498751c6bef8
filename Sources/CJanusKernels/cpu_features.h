// Private to CJanusKernels: runtime CPU checks beyond the public ones, and the target
// attributes of the x86 kernel variants. The binary is built for baseline x86-64 (or
// aarch64); faster variants are separate functions compiled for a wider target and
// chosen at run time, never inlined into baseline code.
#ifndef JANUS_CPU_FEATURES_H
#define JANUS_CPU_FEATURES_H

int janus_cpu_has_avx2_fma(void);

#if defined(__x86_64__)
#define JANUS_HAS_X86_VARIANTS 1
#define JANUS_TARGET_AVX2 __attribute__((target("avx2,fma,f16c")))
#define JANUS_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl")))
#endif

#endif
