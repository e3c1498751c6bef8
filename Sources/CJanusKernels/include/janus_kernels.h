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

// MARK: Tensor kernels (f32, contiguous, row-major).
//
// A "row" is a slice along the last axis: a tensor of `count` elements with last
// dimension `cols` has `count / cols` rows. Outputs may be the same buffer as the first
// input (in place) unless the comment says otherwise; partial overlap is not allowed.
// No fast-math: results follow IEEE f32 arithmetic in the order written, so they stay
// within rounding of the PyTorch float32 reference.

// Reductions. Sums use pairwise summation (error grows with log n, like numpy and
// torch's cascade sum), so a 4M-element group statistic stays accurate in f32.
float janus_sum(const float *x, size_t n);
float janus_sum_of_squares(const float *x, size_t n);
/// Sum of (x[i] - mean)^2: the numerator of a two-pass variance.
float janus_sum_of_squared_deviations(const float *x, size_t n, float mean);
/// Largest element; NaN if any element is NaN (as torch.max). n must be > 0.
float janus_max(const float *x, size_t n);
/// Index of the largest element, first one on ties; a NaN counts as the largest
/// (first NaN wins), as torch.argmax. n must be > 0.
size_t janus_argmax(const float *x, size_t n);
void janus_rows_sum(const float *x, float *out, size_t rows, size_t cols);
void janus_rows_mean(const float *x, float *out, size_t rows, size_t cols);
void janus_rows_max(const float *x, float *out, size_t rows, size_t cols);
void janus_rows_argmax(const float *x, int64_t *out, size_t rows, size_t cols);
/// x / max(||x||_2, eps) per row (torch.nn.functional.normalize).
void janus_rows_l2_normalize(const float *x, float *out, size_t rows, size_t cols, float eps);

// Softmax family (max-subtracted, so large logits do not overflow).
/// softmax(x / temperature) per row.
void janus_rows_softmax(const float *x, float *out, size_t rows, size_t cols, float temperature);
/// log_softmax(x / temperature) per row.
void janus_rows_log_softmax(const float *x, float *out, size_t rows, size_t cols, float temperature);
/// Sets scores[r][c] = -inf where c > r + query_offset (a causal mask, applied in place).
void janus_causal_mask(float *scores, size_t rows, size_t cols, size_t query_offset);

// Elementwise. `b` repeats every `b_count` elements (b_count divides count), which
// covers both equal shapes and a trailing-axes broadcast such as a bias row.
void janus_add(const float *a, const float *b, float *out, size_t count, size_t b_count);
void janus_mul(const float *a, const float *b, float *out, size_t count, size_t b_count);
void janus_scale(const float *x, float factor, float *out, size_t count);
/// x / (1 + exp(-x)).
void janus_silu(const float *x, float *out, size_t count);
/// x * 0.5 * (1 + erf(x / sqrt 2)): exact GELU.
void janus_gelu_erf(const float *x, float *out, size_t count);
/// 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))).
void janus_gelu_tanh(const float *x, float *out, size_t count);
/// silu(gate) * up; `out` may alias `gate` or `up`.
void janus_swiglu(const float *gate, const float *up, float *out, size_t count);

// Normalisation. `weight` / `bias` are f32 vectors of length cols (channels for group
// norm); NULL means no affine term (weight 1, bias 0).
/// x * rsqrt(mean(x^2) + eps) * weight (HF LlamaRMSNorm in f32).
void janus_rows_rms_norm(const float *x, const float *weight, float *out,
                         size_t rows, size_t cols, float eps);
/// (x - mean) * rsqrt(var + eps) * weight + bias, biased variance.
void janus_rows_layer_norm(const float *x, const float *weight, const float *bias, float *out,
                           size_t rows, size_t cols, float eps);
/// GroupNorm over NCHW: `spatial` = H*W; statistics per (batch, group). With `silu`, each
/// normalised channel plane then goes through SiLU (as janus_silu) while still in cache.
void janus_group_norm(const float *x, const float *weight, const float *bias, float *out,
                      size_t batch, size_t channels, size_t spatial, size_t groups, float eps, int silu);
/// The statistics janus_group_norm normalises with: per (image, group), the mean and
/// 1/sqrt(biased variance + eps), into mean and inverse_std [batch · groups].
void janus_group_norm_moments(const float *x, size_t batch, size_t channels, size_t spatial, size_t groups,
                              float eps, float *mean, float *inverse_std);

// Rotary position embedding, rotate_half convention: for each head vector x of length
// head_dim (half = head_dim / 2), out[i] = x[i] cos - x[i+half] sin and
// out[i+half] = x[i+half] cos + x[i] sin, with cos/sin rows of length half taken from the
// tables at positions[token]. x is [tokens, heads, head_dim].
void janus_rotary(const float *x, float *out, size_t tokens, size_t heads, size_t head_dim,
                  const float *cos_table, const float *sin_table, const int64_t *positions);

// Convolution support. `x` is one CHW image.
/// Unfolds output rows [row_begin, row_begin + row_count) into `cols`, laid out
/// [channels * kernel_h * kernel_w, row_count * out_width] (zero where the window is
/// in the padding). `cols` must not overlap `x`.
void janus_im2col(const float *x, size_t channels, size_t height, size_t width,
                  size_t kernel_h, size_t kernel_w, size_t stride_h, size_t stride_w,
                  size_t pad_h, size_t pad_w, size_t out_width,
                  size_t row_begin, size_t row_count, float *cols);
/// Nearest-neighbour 2x upsampling of `planes` HxW planes into 2Hx2W planes (no overlap).
void janus_upsample_nearest2x(const float *x, float *out, size_t planes, size_t height, size_t width);

// Layout.
/// Copies a strided view into contiguous `dst` (no overlap): dst has `rank` dimensions
/// `shape`, and its element at index (i0..ik) comes from src[sum(i_j * src_strides[j])].
/// rank is 1...8.
void janus_strided_copy(const float *src, float *dst, size_t rank,
                        const size_t *shape, const size_t *src_strides);

// MARK: Threads
//
// One persistent pool of worker threads shared by the parallel kernels: started on
// first use, sized to the CPUs this process may run on (JANUS_THREADS overrides).
// Workers spin briefly between calls (decode issues hundreds of short kernels a
// step) and then sleep.

/// Body of a parallel loop: handles indices [begin, end) of the loop's range.
typedef void (*janus_range_body)(void *context, size_t begin, size_t end);

/// Threads the parallel kernels use by default (the calling thread included).
size_t janus_threads_count(void);
/// Changes that default (clamped to 1...JANUS_MAX_THREADS); waits for a running loop.
void janus_threads_set_count(size_t count);
#define JANUS_MAX_THREADS 256

/// Runs `body` over [0, count) split into at most `threads` contiguous, near-equal
/// chunks (0 means janus_threads_count()); chunk i runs on thread i, the caller
/// takes chunk 0, and the call returns when every chunk is done. Concurrent callers
/// take turns; a call from inside a body runs inline on its thread.
void janus_parallel_for(size_t count, size_t threads, janus_range_body body, void *context);

// MARK: Linear layers for few rows (decode steps)
//
// out[m][n] = bias[n] + sum_k x[m][k] * w[n][k], for x [rows, k] f32 and a weight
// [n, k] stored in f32, f16 or bf16 at any byte alignment. The weight is streamed
// from memory once for all rows (rows up to a few dozen), which is what bounds a
// decode step; N is split across threads. Products and sums are f32.

typedef enum { JANUS_FLOAT_F32 = 0, JANUS_FLOAT_F16 = 1, JANUS_FLOAT_BF16 = 2 } janus_float_type;

/// JANUS_COMPUTE_F32: exact products of the f32 activations and the widened weights
/// (the parity mode). JANUS_COMPUTE_BF16: activations rounded to bf16 first, as on
/// GPU; with bf16 weights on a CPU with AVX512_BF16 the products run on vdpbf16ps.
typedef enum { JANUS_COMPUTE_F32 = 0, JANUS_COMPUTE_BF16 = 1 } janus_compute_mode;

/// The process-wide default compute mode (JANUS_COMPUTE_F32 unless set).
janus_compute_mode janus_default_compute_mode(void);
void janus_set_default_compute_mode(janus_compute_mode mode);

/// Instruction sets the kernels may use: the best this CPU has, or the portable C
/// only (tests compare the two).
typedef enum { JANUS_ISA_BEST = 0, JANUS_ISA_PORTABLE = 1 } janus_isa;

/// Whether this CPU runs the AVX-512 kernels, and vdpbf16ps.
int janus_cpu_has_avx512(void);
int janus_cpu_has_avx512_bf16(void);

/// The streamed linear layer above. `bias` is f32 or NULL; `out` [rows, n] must not
/// overlap x. `threads` 0 means the pool's default.
void janus_linear_streaming(const float *x, size_t rows, size_t k,
                            const void *weight, janus_float_type weight_type, size_t n,
                            const float *bias, float *out,
                            janus_compute_mode compute, size_t threads, janus_isa isa);

// MARK: Convolutions under bf16 compute
//
// A stride-1 convolution (`padding` on every side) as an implicit GEMM on bf16 pairs
// with f32 sums: the weights are packed once per call, the input rows a band of output
// rows reads are staged as bf16 pairs of consecutive channels, and a register tile of
// 8 output channels × 48 pixels runs vdpbf16ps (portable C elsewhere). No im2col.

/// uint32 elements of the packed weights.
size_t janus_conv_bf16_weight_count(size_t out_channels, size_t in_channels, size_t kernel_h, size_t kernel_w);
/// Packs an f32 weight [O, C, kh, kw] (rounded to bf16) for janus_conv_bf16.
void janus_conv_bf16_pack_weights(const float *weight, size_t out_channels, size_t in_channels,
                                  size_t kernel_h, size_t kernel_w, uint32_t *packed);
/// uint32 elements of the staging buffer for a band of `row_count` output rows.
size_t janus_conv_bf16_staging_count(size_t in_channels, size_t width, size_t kernel_h, size_t kernel_w,
                                     size_t pad, size_t row_count);
/// What janus_conv_bf16 does to its input as it stages it, so the transformed activation
/// never exists in full: a ×2 nearest-neighbour upsampling (x is then [C, H/2, W/2] for
/// the H × W the convolution sees; H and W even), or a GroupNorm (then SiLU) when `mean`
/// is set: per group of one image, the mean and 1/sqrt(variance + eps)
/// (janus_group_norm_moments); per channel, the affine weight and bias (either NULL: 1
/// and 0). The staged values are janus_upsample_nearest2x's or janus_group_norm's, bit for
/// bit (both at once would normalise with the source's moments, which are the upsampled
/// image's only up to rounding).
typedef struct {
    int upsample_2x;
    const float *mean, *inverse_std;
    size_t groups;
    const float *weight, *bias;
    int silu;
} janus_conv_input;

/// Output rows [row_begin, row_begin + row_count) of the convolution of one CHW f32
/// image: out [O, Ho, Wo] with Ho = H + 2·pad − kh + 1 (same for W), plus `bias` [O]
/// (f32 or NULL), of the input through `input` (NULL: as it is); with `accumulate`, added
/// to what `out` holds (a residual: (conv + bias) + out). `staging` holds
/// janus_conv_bf16_staging_count(...) elements; nothing may overlap `out`.
void janus_conv_bf16(const float *x, size_t channels, size_t height, size_t width,
                     const uint32_t *packed_weights, size_t out_channels, size_t kernel_h, size_t kernel_w,
                     size_t pad, const float *bias, const janus_conv_input *input, int accumulate,
                     float *out, size_t row_begin, size_t row_count, uint32_t *staging, size_t threads,
                     janus_isa isa);

/// Whether janus_linear_many_rows_bf16 runs here: a CPU with AVX512_BF16 and an even k.
int janus_linear_many_rows_bf16_available(size_t k);

/// The streamed linear layer under bf16 compute for bf16 weights and many rows: the
/// activations rounded to bf16, f32 sums; faster than janus_linear_streaming from a few
/// dozen rows up. Only where janus_linear_many_rows_bf16_available(k).
void janus_linear_many_rows_bf16(const float *x, size_t rows, size_t k, const void *weight, size_t n,
                                 const float *bias, float *out, size_t threads);

// MARK: Int8 linear layers (`--weights int8`)
//
// Weights [n, k] quantised symmetrically in blocks of JANUS_INT8_BLOCK along k:
// w[r][i] = q[r][i] * scale[r][i / JANUS_INT8_BLOCK], q in -127...127, the scale a bf16
// (rounded up, so |q| never exceeds 127; q * scale is exact in f32). About half the
// bytes of bf16, so a decode step streams half as much memory.
//
// Packed layout, built for the dot-product instructions: rows go in groups of
// JANUS_INT8_GROUP (the last group padded with zero rows), and within a group each block
// is 8 steps of 64 bytes, step t holding bytes 4t...4t+3 of the block for each of the 16
// rows in turn. One 64-byte load then feeds 16 rows at once. Bytes are stored as
// q + 128 (0...255: the unsigned operand of vpdpbusd).
//   values[((g * blocks + b) * 8 + t) * 64 + j * 4 + i] = q[16 g + j][32 b + 4 t + i] + 128
//   scales[(g * blocks + b) * 16 + j]                    = bf16 scale of row 16 g + j, block b

#define JANUS_INT8_BLOCK 32
#define JANUS_INT8_GROUP 16

/// Rows the packed arrays hold for a weight of `n` rows: n rounded up to a whole group.
/// values has janus_int8_packed_rows(n) * k bytes, scales that many * k / 32 entries.
size_t janus_int8_packed_rows(size_t n);

/// Quantises `weight` [n, k] (k a multiple of JANUS_INT8_BLOCK) into the packed layout:
/// scale = max |w| / 127 per block rounded up to bf16, q = round(w / scale).
void janus_quantize_int8_blocks(const void *weight, janus_float_type weight_type, size_t n, size_t k,
                                uint8_t *values, uint16_t *scales);

/// Weight rows [first_row, first_row + count) as f32, row-major [count, k]: q * scale.
void janus_int8_dequantize_rows(const uint8_t *values, const uint16_t *scales, size_t k,
                                size_t first_row, size_t count, float *out);

/// The packed weight unpacked row-major, for inspection: q [n, k], scales [n, k / 32].
void janus_int8_unpack(const uint8_t *values, const uint16_t *scales, size_t n, size_t k,
                       int8_t *q, float *row_scales);

/// Activations in two int8 parts, the `JANUS_COMPUTE_BF16` input of janus_linear_int8:
/// per row and block of 32, scale = max |x| / 127 (f32), high = round(x / scale) in
/// -127...127 and low = round(128 (x / scale - high)) in -64...64, so that
/// x ≈ scale (high + low / 128) to within scale / 256: about 15 bits per value, finer
/// than bf16's 8, at twice the int8 products of one part (llama.cpp's Q8_0) but well
/// inside the memory time of a decode step. x, high and low [rows, k]; scales [rows, k / 32].
void janus_quantize_rows_int8x2(const float *x, size_t rows, size_t k, int8_t *high, int8_t *low, float *scales);

/// Whether this CPU has AVX512_VNNI (vpdpbusd), the int8 x int8 path of janus_linear_int8.
int janus_cpu_has_avx512_vnni(void);

/// out[m][r] = bias[r] + sum_i x[m][i] * w[r][i], x [rows, k] f32, w the packed weight
/// of n rows. JANUS_COMPUTE_F32: exact f32 products of x with q * scale, f32 sums.
/// JANUS_COMPUTE_BF16: x split into two int8 parts per block (janus_quantize_rows_int8x2)
/// and each block's dot product exact in int32 (vpdpbusd), scaled and summed in f32. `bias` f32
/// or NULL; `threads` 0 means the pool's default.
void janus_linear_int8(const float *x, size_t rows, size_t k, const uint8_t *values, const uint16_t *scales,
                       size_t n, const float *bias, float *out, janus_compute_mode compute, size_t threads,
                       janus_isa isa);

// MARK: Attention for few queries (decode steps)

/// How a KV cache holds its keys and values: f32; bf16; or int8 (symmetric, x ≈ q ·
/// scale) with one f32 scale per block of `kv_block` elements along each head's row.
typedef enum { JANUS_KV_F32 = 0, JANUS_KV_BF16 = 2, JANUS_KV_INT8 = 3 } janus_kv_type;

/// Quantises `rows` rows of `dim` floats to int8, one scale per block of `block` (which
/// divides dim): scale = max |x| / 127 over the block, q = x / scale rounded to nearest
/// even (0 and scale 0 for an all-zero block; scale NaN for a block holding NaN or ±Inf, so
/// it reads back as NaN). values [rows, dim], scales [rows, dim / block].
void janus_quantize_kv_rows(const float *x, size_t rows, size_t dim, size_t block, int8_t *values, float *scales);

/// The f32 values (q · scale, one rounding) of janus_quantize_kv_rows's output.
void janus_dequantize_kv_rows(const int8_t *values, const float *scales, size_t rows, size_t dim, size_t block,
                              float *out);

/// Softmax attention of `queries` query rows against `keys` positions: q [T, H, D] and
/// out [T, H, Dv] contiguous f32; k [S, Hkv, D] and v [S, Hkv, Dv] contiguous, both
/// `kv_type` (f32, or bf16 for a bf16 KV cache: widened in registers, products and sums
/// in f32; not int8, which needs scales: see the batch); no overlap with out. Query head
/// h reads key/value head h / (H / Hkv). With `causal`, query t sees keys [0, S - T + t].
/// Scores are scale * (q . k). Parallel over blocks of positions, each with its own
/// softmax maximum, merged exactly (flash-decoding). `threads` 0 means the pool's default.
void janus_attention_few_queries(const float *q, const void *k, const void *v, janus_kv_type kv_type,
                                 float *out, size_t queries, size_t heads, size_t kv_heads, size_t keys,
                                 size_t head_dim, size_t value_dim, float scale, int causal,
                                 size_t threads, janus_isa isa);

/// One sequence of janus_attention_few_queries_batch: its queries, cache and output.
typedef struct {
    const float *q;
    const void *k, *v;
    /// JANUS_KV_INT8 only: the scales, [keys, kv_heads, head_dim / kv_block] and
    /// [keys, kv_heads, value_dim / kv_block].
    const float *k_scales, *v_scales;
    float *out;
    size_t queries, keys;
} janus_attention_sequence;

/// janus_attention_few_queries for `count` sequences of one layer (the slots of a decode
/// batch, which share every shape but the key count) in one pass over the thread pool
/// instead of one per sequence. Each sequence's result is the one it gets alone. An int8
/// cache (`kv_block` a power of two from 16 dividing head_dim and value_dim; ignored for
/// the other types) is read as its f32 values q · scale: the result is the one an f32 cache
/// holding them gives, bit for bit.
void janus_attention_few_queries_batch(const janus_attention_sequence *sequences, size_t count,
                                       janus_kv_type kv_type, size_t kv_block, size_t heads, size_t kv_heads,
                                       size_t head_dim, size_t value_dim, float scale, int causal,
                                       size_t threads, janus_isa isa);

// MARK: Attention for many queries under bf16 compute

/// The attention of janus_attention_few_queries (same shapes, GQA and causal rule) for
/// any number of queries, with Q, K and V rounded to bf16: QKᵀ and PV on vdpbf16ps
/// (portable C elsewhere), f32 scores and softmax, probabilities rounded to bf16 for PV.
/// k and v are f32 or bf16 (`kv_type`, a bf16 KV cache; not f16).
void janus_attention_bf16(const float *q, const void *k, const void *v, janus_float_type kv_type, float *out,
                          size_t queries, size_t heads, size_t kv_heads, size_t keys,
                          size_t head_dim, size_t value_dim, float scale, int causal,
                          size_t threads, janus_isa isa);

/// janus_attention_bf16 over q, k and v whose positions are `q_stride`, `k_stride` and
/// `v_stride` elements apart (at least their rows of every head): e.g. the three parts of
/// one qkv projection's output [T, 3, H, D], read in place (strides 3·H·D).
void janus_attention_bf16_strided(const float *q, size_t q_stride, const void *k, size_t k_stride, const void *v,
                                  size_t v_stride, janus_float_type kv_type, float *out,
                                  size_t queries, size_t heads, size_t kv_heads, size_t keys,
                                  size_t head_dim, size_t value_dim, float scale, int causal,
                                  size_t threads, janus_isa isa);

// MARK: Host measurements

/// Bytes per second this host reads with `threads` threads (0: the pool's count): the
/// best of `passes` passes over a freshly written buffer of `bytes` (make it far larger
/// than the caches). 0 if the buffer cannot be allocated.
double janus_measure_read_bandwidth(size_t bytes, size_t passes, size_t threads);

/// A written buffer of about `bytes` (whole 256 KiB chunks) for sampling the read
/// bandwidth again and again, e.g. between the steps a benchmark times (the host's rate
/// moves from minute to minute). NULL if it cannot be allocated or is under one chunk.
typedef struct janus_read_probe janus_read_probe;
janus_read_probe *janus_read_probe_create(size_t bytes);
/// Bytes per second of one read pass over the probe's buffer with `threads` threads.
double janus_read_probe_sample(janus_read_probe *probe, size_t threads);
void janus_read_probe_destroy(janus_read_probe *probe);

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
