#include "janus_kernels.h"
#include "blocked_sum.h"

/// Writes x / temperature into out and returns its maximum (the softmax shift).
static float divide_and_find_max(const float *x, float *out, size_t cols, float temperature) {
    for (size_t i = 0; i < cols; i++) out[i] = x[i] / temperature;
    return janus_max(out, cols);
}

void janus_rows_softmax(const float *x, float *out, size_t rows, size_t cols, float temperature) {
    if (cols == 0) return;
    for (size_t r = 0; r < rows; r++) {
        float *row = out + r * cols;
        float shift = divide_and_find_max(x + r * cols, row, cols, temperature);
        for (size_t i = 0; i < cols; i++) row[i] = expf(row[i] - shift);
        // Multiplying by the reciprocal, as torch's vectorised softmax does.
        float inverse_total = 1.0f / janus_sum(row, cols);
        for (size_t i = 0; i < cols; i++) row[i] *= inverse_total;
    }
}

void janus_rows_log_softmax(const float *x, float *out, size_t rows, size_t cols, float temperature) {
    if (cols == 0) return;
    for (size_t r = 0; r < rows; r++) {
        float *row = out + r * cols;
        float shift = divide_and_find_max(x + r * cols, row, cols, temperature);
        float log_total = logf(janus_blocked_sum(row, cols, shift, JANUS_TERM_EXP_SHIFTED));
        for (size_t i = 0; i < cols; i++) row[i] = (row[i] - shift) - log_total;
    }
}

void janus_causal_mask(float *scores, size_t rows, size_t cols, size_t query_offset) {
    for (size_t r = 0; r < rows; r++) {
        size_t first_masked = r + query_offset + 1;
        for (size_t c = first_masked; c < cols; c++) scores[r * cols + c] = -INFINITY;
    }
}
