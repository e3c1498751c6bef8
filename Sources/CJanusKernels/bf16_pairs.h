// Private to CJanusKernels: f32 -> bf16 rounding for the packing loops of the vdpbf16ps
// kernels, which store two bf16 values (consecutive along the summed dimension) in one
// uint32 — the operand layout of vdpbf16ps.
#ifndef JANUS_BF16_PAIRS_H
#define JANUS_BF16_PAIRS_H

#include <stdint.h>
#include <string.h>

/// Round to nearest even, NaN kept quiet (as janus_f32_to_bf16).
static inline uint16_t janus_round_bf16(float value) {
    uint32_t bits;
    memcpy(&bits, &value, 4);
    if ((bits & 0x7fffffffu) > 0x7f800000u) return (uint16_t)((bits >> 16) | 0x0040u);
    return (uint16_t)((bits + 0x7fffu + ((bits >> 16) & 1u)) >> 16);
}

/// `even` in the low half, `odd` in the high half.
static inline uint32_t janus_bf16_pair(float even, float odd) {
    return (uint32_t)janus_round_bf16(even) | (uint32_t)janus_round_bf16(odd) << 16;
}

#endif
