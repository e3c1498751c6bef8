// The AVX-512 variants of the few-queries attention unit: the dot products of 16 heads
// reduce together in one shuffle tree instead of a chain of scalar adds each. bf16
// keys/values are widened in registers (a zero-extension and a 16-bit shift, exact);
// int8 ones are sign-extended, converted and multiplied by their block's scale.
#include "cpu_features.h"

#if JANUS_HAS_X86_VARIANTS
#include <immintrin.h>  // before the target region: the intrinsics carry their own targets
#pragma clang attribute push(__attribute__((target("avx512f,avx512bw,avx512vl"))), apply_to = function)

#include "attention_kv_row.h"
#include "janus_kernels.h"
#include "simd_math_avx512.h"

static inline __attribute__((always_inline)) __mmask16 tail_mask(size_t count) {
    return (__mmask16)((1u << count) - 1);
}

/// Elements i ... i+15 of a cached row (those under `mask`; the rest read as zero) as
/// f32. An int8 block holds whole vectors (its size is a multiple of 16).
static inline __attribute__((always_inline)) __m512 load_kv(janus_kv_type kv_type, kv_row row, size_t i,
                                                            __mmask16 mask) {
    if (kv_type == JANUS_KV_BF16) {
        __m512i widened = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(mask, (const uint16_t *)row.elements + i));
        return _mm512_castsi512_ps(_mm512_slli_epi32(widened, 16));
    }
    if (kv_type == JANUS_KV_INT8) {
        __m512i widened = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(mask, (const int8_t *)row.elements + i));
        return _mm512_mul_ps(_mm512_cvtepi32_ps(widened), _mm512_set1_ps(row.scales[i >> row.block_shift]));
    }
    return _mm512_maskz_loadu_ps(mask, (const float *)row.elements + i);
}

/// q . k as one register of partial sums, not yet added together.
static inline __attribute__((always_inline)) __m512 attention_dot_lanes(janus_kv_type kv_type, const float *q,
                                                                        kv_row k, size_t n) {
    __m512 even = _mm512_setzero_ps(), odd = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        even = _mm512_fmadd_ps(_mm512_loadu_ps(q + i), load_kv(kv_type, k, i, 0xffff), even);
        odd = _mm512_fmadd_ps(_mm512_loadu_ps(q + i + 16), load_kv(kv_type, k, i + 16, 0xffff), odd);
    }
    for (; i < n; i += 16) {
        __mmask16 mask = n - i >= 16 ? (__mmask16)0xffff : tail_mask(n - i);
        even = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, q + i), load_kv(kv_type, k, i, mask), even);
    }
    return _mm512_add_ps(even, odd);
}

/// Two picks from the pair (a, b), added lane by lane: picks of whole 128-bit quarters,
/// or of floats within each quarter (the immediates of shuffle_f32x4 / shuffle_ps).
#define SUM_QUARTERS(a, b, low, high) \
    _mm512_add_ps(_mm512_shuffle_f32x4(a, b, low), _mm512_shuffle_f32x4(a, b, high))
#define SUM_FLOATS(a, b, low, high) _mm512_add_ps(_mm512_shuffle_ps(a, b, low), _mm512_shuffle_ps(a, b, high))

/// The 16 lane sums of x[0..15] in one register, each added in the same pairs as
/// _mm512_reduce_add_ps adds (lane i + lane i+8, then i + i+4, i + i+2, i + i+1), so
/// a score does not depend on how it was reduced; ~3 instructions per sum instead of 9.
/// Lane 4 L + j holds the sum of x[L + 4 j].
static inline __attribute__((always_inline)) __m512 reduce_16(const __m512 x[16]) {
    __m512 halves[8], quarters[4], eighths[2];
    for (int m = 0; m < 8; m++)  // low 256 bits: x[2m]'s lanes i + i+8 (i < 8); high: x[2m+1]'s
        halves[m] = SUM_QUARTERS(x[2 * m], x[2 * m + 1], _MM_SHUFFLE(1, 0, 1, 0), _MM_SHUFFLE(3, 2, 3, 2));
    for (int n = 0; n < 4; n++)  // quarter j: x[4n + j]'s lanes i + i+4 (i < 4)
        quarters[n] = SUM_QUARTERS(halves[2 * n], halves[2 * n + 1], _MM_SHUFFLE(2, 0, 2, 0), _MM_SHUFFLE(3, 1, 3, 1));
    for (int p = 0; p < 2; p++)  // quarter L: x[8p + L]'s lanes i + i+2 (i < 2), then x[8p + 4 + L]'s
        eighths[p] = SUM_FLOATS(quarters[2 * p], quarters[2 * p + 1], _MM_SHUFFLE(1, 0, 1, 0), _MM_SHUFFLE(3, 2, 3, 2));
    // quarter L: the sums of x[L], x[L + 4], x[L + 8], x[L + 12]
    return SUM_FLOATS(eighths[0], eighths[1], _MM_SHUFFLE(2, 0, 2, 0), _MM_SHUFFLE(3, 1, 3, 1));
}

static inline __attribute__((always_inline)) void
attention_position_scores(janus_kv_type kv_type, const float *q, kv_row k, size_t heads, size_t group,
                          size_t head_dim, float scale, float *scores, size_t stride) {
    size_t h = 0;
    for (; h + 16 <= heads; h += 16) {
        __m512 lanes[16];
        for (size_t j = 0; j < 16; j++)
            lanes[j] = attention_dot_lanes(kv_type, q + (h + j) * head_dim,
                                           kv_head_row(kv_type, k, (h + j) / group, head_dim), head_dim);
        float sums[16];
        _mm512_storeu_ps(sums, _mm512_mul_ps(_mm512_set1_ps(scale), reduce_16(lanes)));
        for (size_t e = 0; e < 16; e++) scores[(h + e / 4 + 4 * (e % 4)) * stride] = sums[e];
    }
    for (; h < heads; h++)
        scores[h * stride] = scale * _mm512_reduce_add_ps(attention_dot_lanes(
                                         kv_type, q + h * head_dim, kv_head_row(kv_type, k, h / group, head_dim), head_dim));
}

/// Each 16-float slice of `out` is loaded once per group of positions, not once per position.
static inline __attribute__((always_inline)) void attention_accumulate(janus_kv_type kv_type, float *out,
                                                                       const float *weights, kv_row v,
                                                                       size_t v_stride, size_t v_scale_stride,
                                                                       size_t positions, size_t n) {
    for (size_t d = 0; d < n; d += 16) {
        __mmask16 mask = n - d >= 16 ? (__mmask16)0xffff : tail_mask(n - d);
        __m512 sum = _mm512_maskz_loadu_ps(mask, out + d);
        for (size_t p = 0; p < positions; p++) {
            kv_row row = kv_row_after(v, p * v_stride, p * v_scale_stride);
            sum = _mm512_fmadd_ps(_mm512_set1_ps(weights[p]), load_kv(kv_type, row, d, mask), sum);
        }
        _mm512_mask_storeu_ps(out + d, mask, sum);
    }
}

/// On the vectorised exp (within about 1 ulp of expf, which was a tenth of the 32-row
/// step's attention), for both cache types: a bf16 cache gives the same result, bit for
/// bit, as its values in f32.
static inline __attribute__((always_inline)) void attention_exponentials(janus_kv_type kv_type, float *row,
                                                                         size_t count, float maximum) {
    (void)kv_type;
    __m512 peak = _mm512_set1_ps(maximum);
    for (size_t i = 0; i < count; i += 16) {
        __mmask16 mask = count - i >= 16 ? (__mmask16)0xffff : tail_mask(count - i);
        __m512 e = janus_exp_avx512(_mm512_sub_ps(_mm512_maskz_loadu_ps(mask, row + i), peak));
        _mm512_mask_storeu_ps(row + i, mask, e);
    }
}

#include "attention_few_queries.h"

void janus_attend_avx512(const void *job, size_t index) { attend_unit(job, index, JANUS_KV_F32); }
void janus_attend_avx512_bf16_kv(const void *job, size_t index) { attend_unit(job, index, JANUS_KV_BF16); }
void janus_attend_avx512_int8_kv(const void *job, size_t index) { attend_unit(job, index, JANUS_KV_INT8); }

#pragma clang attribute pop
#endif
