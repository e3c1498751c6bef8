#include "janus_kernels.h"
#include "blocked_sum.h"

float janus_sum(const float *x, size_t n) {
    return janus_blocked_sum(x, n, 0, JANUS_TERM_VALUE);
}

float janus_sum_of_squares(const float *x, size_t n) {
    return janus_blocked_sum(x, n, 0, JANUS_TERM_SQUARE);
}

float janus_sum_of_squared_deviations(const float *x, size_t n, float mean) {
    return janus_blocked_sum(x, n, mean, JANUS_TERM_SQUARED_DEVIATION);
}

float janus_max(const float *x, size_t n) {
    float best = x[0];
    int saw_nan = 0;
    for (size_t i = 0; i < n; i++) {
        saw_nan |= x[i] != x[i];
        best = x[i] > best ? x[i] : best;
    }
    return saw_nan ? NAN : best;
}

size_t janus_argmax(const float *x, size_t n) {
    size_t best = 0;
    for (size_t i = 0; i < n; i++) {
        if (x[i] != x[i]) return i;
        if (x[i] > x[best]) best = i;
    }
    return best;
}

void janus_rows_sum(const float *x, float *out, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; r++) out[r] = janus_sum(x + r * cols, cols);
}

void janus_rows_mean(const float *x, float *out, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; r++) out[r] = janus_sum(x + r * cols, cols) / (float)cols;
}

void janus_rows_max(const float *x, float *out, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; r++) out[r] = janus_max(x + r * cols, cols);
}

void janus_rows_argmax(const float *x, int64_t *out, size_t rows, size_t cols) {
    for (size_t r = 0; r < rows; r++) out[r] = (int64_t)janus_argmax(x + r * cols, cols);
}

void janus_rows_l2_normalize(const float *x, float *out, size_t rows, size_t cols, float eps) {
    for (size_t r = 0; r < rows; r++) {
        const float *row = x + r * cols;
        float *result = out + r * cols;
        float norm = sqrtf(janus_sum_of_squares(row, cols));
        // torch's clamp_min keeps a NaN norm (fmaxf would replace it by eps).
        float denominator = norm < eps ? eps : norm;
        for (size_t i = 0; i < cols; i++) result[i] = row[i] / denominator;
    }
}
