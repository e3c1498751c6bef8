// Small C kernels behind the Swift API of JanusTensor / JanusCheckpoint.
// Each function is a plain loop over contiguous memory, written so the compiler
// vectorises it; no allocation, no global state.
#ifndef JANUS_KERNELS_H
#define JANUS_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// MARK: Precision conversion (pointers may be unaligned).

/// bf16 -> f32 is exact: the bf16 bits are the high half of the f32 bits.
void janus_bf16_to_f32(const void *src, float *dst, size_t count);
/// f32 -> bf16 with round-to-nearest-even (NaN stays NaN), as torch's `.to(bfloat16)`.
void janus_f32_to_bf16(const float *src, void *dst, size_t count);
/// IEEE binary16 -> f32, exact (subnormals, infinities and NaN included).
void janus_f16_to_f32(const void *src, float *dst, size_t count);
/// f32 -> IEEE binary16 with round-to-nearest-even, overflow to infinity.
void janus_f32_to_f16(const float *src, void *dst, size_t count);

// MARK: SHA-256 (FIPS 180-4), streaming.

typedef struct {
    uint32_t state[8];
    uint64_t length;      // bytes hashed so far
    uint8_t block[64];
    size_t used;          // bytes waiting in `block`
} janus_sha256_ctx;

void janus_sha256_init(janus_sha256_ctx *ctx);
void janus_sha256_update(janus_sha256_ctx *ctx, const void *data, size_t length);
void janus_sha256_final(janus_sha256_ctx *ctx, uint8_t digest[32]);

#ifdef __cplusplus
}
#endif
#endif
