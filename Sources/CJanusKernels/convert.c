#include "janus_kernels.h"
#include <string.h>

static inline uint32_t f32_bits(float value) { uint32_t b; memcpy(&b, &value, 4); return b; }
static inline float bits_f32(uint32_t bits) { float v; memcpy(&v, &bits, 4); return v; }

void janus_bf16_to_f32(const void *src, float *dst, size_t count) {
    const uint8_t *bytes = (const uint8_t *)src;
    for (size_t i = 0; i < count; i++) {
        uint16_t half;
        memcpy(&half, bytes + 2 * i, 2);
        dst[i] = bits_f32((uint32_t)half << 16);
    }
}

void janus_f32_to_bf16(const float *src, void *dst, size_t count) {
    uint8_t *bytes = (uint8_t *)dst;
    for (size_t i = 0; i < count; i++) {
        uint32_t bits = f32_bits(src[i]);
        uint16_t out;
        if ((bits & 0x7fffffffu) > 0x7f800000u) {
            out = (uint16_t)((bits >> 16) | 0x0040u);  // quiet NaN, sign kept
        } else {
            uint32_t rounding = 0x7fffu + ((bits >> 16) & 1u);
            out = (uint16_t)((bits + rounding) >> 16);
        }
        memcpy(bytes + 2 * i, &out, 2);
    }
}

static inline float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
    uint32_t exponent = (h >> 10) & 0x1fu;
    uint32_t mantissa = h & 0x3ffu;
    if (exponent == 0x1fu) return bits_f32(sign | 0x7f800000u | (mantissa << 13));
    if (exponent == 0) {
        if (mantissa == 0) return bits_f32(sign);
        // Subnormal: value = mantissa * 2^-24, exact in f32.
        float magnitude = (float)mantissa * 5.9604644775390625e-8f;
        return sign ? -magnitude : magnitude;
    }
    return bits_f32(sign | ((exponent + 112u) << 23) | (mantissa << 13));
}

void janus_f16_to_f32(const void *src, float *dst, size_t count) {
    const uint8_t *bytes = (const uint8_t *)src;
    for (size_t i = 0; i < count; i++) {
        uint16_t half;
        memcpy(&half, bytes + 2 * i, 2);
        dst[i] = half_to_float(half);
    }
}

static inline uint16_t float_to_half(float value) {
    uint32_t bits = f32_bits(value);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000u);
    uint32_t magnitude = bits & 0x7fffffffu;
    if (magnitude > 0x7f800000u) return sign | 0x7e00u;          // NaN
    if (magnitude >= 0x477ff000u) return sign | 0x7c00u;         // rounds to >= 65520: inf
    if (magnitude < 0x38800000u) {                               // below 2^-14: subnormal or zero
        if (magnitude < 0x33000000u) return sign;                // below half of 2^-24
        uint32_t exponent = magnitude >> 23;
        uint32_t mantissa = (magnitude & 0x7fffffu) | 0x800000u;
        uint32_t shift = 126u - exponent;                        // 14..24 → mantissa >> (shift)
        uint32_t result = mantissa >> shift;
        uint32_t remainder = mantissa & ((1u << shift) - 1u);
        uint32_t halfway = 1u << (shift - 1u);
        if (remainder > halfway || (remainder == halfway && (result & 1u))) result++;
        return sign | (uint16_t)result;
    }
    uint32_t rebased = magnitude - (112u << 23);
    uint32_t rounded = rebased + 0xfffu + ((rebased >> 13) & 1u);
    return sign | (uint16_t)(rounded >> 13);
}

void janus_f32_to_f16(const float *src, void *dst, size_t count) {
    uint8_t *bytes = (uint8_t *)dst;
    for (size_t i = 0; i < count; i++) {
        uint16_t half = float_to_half(src[i]);
        memcpy(bytes + 2 * i, &half, 2);
    }
}
