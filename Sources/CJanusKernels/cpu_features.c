#include "janus_kernels.h"
#include "cpu_features.h"

// __builtin_cpu_supports reads a table the runtime fills at start-up (including the
// operating system's consent to save the wide registers), so these checks are cheap
// enough to make on every kernel call.

int janus_cpu_has_avx512(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}

int janus_cpu_has_avx512_bf16(void) {
#if defined(__x86_64__)
    return janus_cpu_has_avx512() && __builtin_cpu_supports("avx512bf16");
#else
    return 0;
#endif
}

int janus_cpu_has_avx2_fma(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

int janus_cpu_has_avx512_vnni(void) {
#if defined(__x86_64__)
    return janus_cpu_has_avx512() && __builtin_cpu_supports("avx512vnni");
#else
    return 0;
#endif
}
