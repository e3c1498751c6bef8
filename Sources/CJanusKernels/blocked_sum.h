// Private to CJanusKernels: the one summation loop behind every reduction.
#ifndef JANUS_BLOCKED_SUM_H
#define JANUS_BLOCKED_SUM_H

#include <math.h>
#include <stddef.h>

/// What is summed: the values, their squares, their squared distance to `shift`,
/// or exp(value - shift) (the softmax denominator).
typedef enum {
    JANUS_TERM_VALUE,
    JANUS_TERM_SQUARE,
    JANUS_TERM_SQUARED_DEVIATION,
    JANUS_TERM_EXP_SHIFTED,
} janus_sum_term;

#define JANUS_SUM_LANES 8
#define JANUS_SUM_BLOCK 256

static inline __attribute__((always_inline)) float janus_term(float value, float shift,
                                                              janus_sum_term term) {
    switch (term) {
    case JANUS_TERM_VALUE: return value;
    case JANUS_TERM_SQUARE: return value * value;
    case JANUS_TERM_SQUARED_DEVIATION: { float d = value - shift; return d * d; }
    case JANUS_TERM_EXP_SHIFTED: return expf(value - shift);
    }
    return 0;
}

/// Sum of term(x[i]). Inside a block of 256 elements eight f32 lanes accumulate (the
/// loop vectorises without reassociation flags); block totals are added in double, so
/// the rounding error stays near one f32 ulp even for the millions of elements in a
/// GroupNorm group. `term` is a constant at every call site, so the switch folds away.
static inline __attribute__((always_inline)) float janus_blocked_sum(const float *x, size_t n,
                                                                     float shift,
                                                                     janus_sum_term term) {
    double total = 0;
    size_t i = 0;
    while (i < n) {
        size_t end = n - i > JANUS_SUM_BLOCK ? i + JANUS_SUM_BLOCK : n;
        float lanes[JANUS_SUM_LANES] = {0};
        for (; i + JANUS_SUM_LANES <= end; i += JANUS_SUM_LANES)
            for (size_t l = 0; l < JANUS_SUM_LANES; l++) lanes[l] += janus_term(x[i + l], shift, term);
        float block = ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) +
                      ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
        for (; i < end; i++) block += janus_term(x[i], shift, term);
        total += block;
    }
    return (float)total;
}

#endif
