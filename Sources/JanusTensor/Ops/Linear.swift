import CJanusKernels
import COpenBLAS

/// Rows of a bf16/f16 weight converted per block: 256 rows, at most 4M floats (16 MB).
let linearBlockRows = 256
let linearBlockElements = 1 << 22

/// `x · weightᵀ + bias`, as `torch.nn.Linear`: x `[..., K]` (f32), weight `[N, K]` and
/// bias `[N]` in any float dtype; the result is `[..., N]` in f32. `compute` defaults
/// to `ComputeMode.processDefault`.
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, compute: ComputeMode? = nil) -> Tensor {
    newOutput(linearOutputShape(x, weight: weight)) { linear(x, weight: weight, bias: bias, into: $0, compute: compute) }
}

/// `linear` writing into `output` (f32, shape `[..., N]`, separate from `x`).
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, into output: Tensor,
                   compute: ComputeMode? = nil) {
    linear(x, weight: weight, bias: bias, into: output, compute: compute ?? .processDefault, path: .automatic)
}

/// How `linear` runs its products.
enum LinearPath: Equatable {
    /// Streaming for up to `streamingRowLimit` rows, blocked sgemm for more.
    case automatic
    /// The weight-streaming kernel on `threads` threads (0: the pool's count); `portable`
    /// skips the SIMD variants.
    case streaming(threads: Int, portable: Bool)
    /// Weight blocks widened to f32 and multiplied by OpenBLAS sgemm.
    case blocked

    /// Up to this many rows the weight-streaming kernel runs. It reads each weight once
    /// for all rows at memory speed, while the blocked path widens every bf16 block to
    /// f32 and packs it for sgemm, which only pays off over many rows. Measured on the
    /// 2-core Zen 4 (a bf16 5632 x 2048 weight, 2 threads): streaming is 4.5x faster at
    /// 16 rows, 3.6x at 32, 1.7x at 64 and still ahead at 600; the limit stays at the
    /// decode batch sizes for f32 products.
    static let streamingRowLimit = 64

    /// Whether `rows` rows of `weight` stream rather than go through sgemm. Under bf16
    /// compute with bf16 weights on AVX512_BF16 every row count streams: `vdpbf16ps`
    /// multiplies twice as fast as f32 FMAs, and the tile reaches ≈ 320 GFLOP/s at 600
    /// rows on the 2-core Zen 4 where sgemm (plus widening) tops out near 200.
    /// Whether `rows` rows go through `janus_linear_many_rows_bf16` (bf16 compute and
    /// weights on AVX512_BF16, even K): 15–17% faster than streaming at 32 and 600 rows,
    /// but it computes whole panels of 32 rows, so it only runs where that pads by ≤ 1/8.
    static func broadcastsWeights(rows: Int, k: Int, weight: Tensor, mode: ComputeMode) -> Bool {
        let padded = (rows + 31) / 32 * 32
        return mode == .bf16 && weight.dtype == .bf16 && rows >= 32 && 8 * (padded - rows) <= padded
            && janus_linear_many_rows_bf16_available(k) != 0
    }

    static func streams(rows: Int, weight: Tensor, mode: ComputeMode) -> Bool {
        rows <= streamingRowLimit || (mode == .bf16 && weight.dtype == .bf16 && janus_cpu_has_avx512_bf16() != 0)
    }
}

func linear(_ x: Tensor, weight: Tensor, bias: Tensor?, into output: Tensor, compute mode: ComputeMode,
            path: LinearPath) {
    let op = "linear"
    let outputs = output.mutableFloats(for: op, expectedShape: linearOutputShape(x, weight: weight))
    let input = x.floats(for: op, "input")
    requireDisjoint(output, x, for: op)
    precondition(weight.dtype.isFloatingPoint, "\(op): weight must be a float tensor, got \(weight.dtype)")
    let (n, k) = (weight.shape[0], weight.shape[1])
    let m = x.rowCount
    guard m > 0, n > 0 else { return }
    if let bias {
        precondition(bias.shape == [n], "\(op): bias \(bias.shape) does not match weight \(weight.shape)")
    }
    guard k > 0 else {
        if let bias { fillRows(outputs, rows: m, with: bias) } else { outputs.update(repeating: 0, count: m * n) }
        return
    }
    switch path {
    case .automatic where LinearPath.broadcastsWeights(rows: m, k: k, weight: weight, mode: mode):
        withOptionalFloatValues(of: bias, for: op, "bias") { biases in
            janus_linear_many_rows_bf16(input, m, k, weight.baseAddress, n, biases, outputs, 0)
        }
    case .automatic where LinearPath.streams(rows: m, weight: weight, mode: mode):
        streamingLinear(input, rows: m, k: k, weight: weight, bias: bias, into: outputs, mode: mode,
                        threads: 0, portable: false)
    case .streaming(let threads, let portable):
        streamingLinear(input, rows: m, k: k, weight: weight, bias: bias, into: outputs, mode: mode,
                        threads: threads, portable: portable)
    case .automatic, .blocked:
        if mode == .bf16 {
            let rounded = x.converted(to: .bf16).converted(to: .f32)
            blockedLinear(rounded.floats(for: op, "input"), rows: m, k: k, weight: weight, bias: bias, into: outputs)
        } else {
            blockedLinear(input, rows: m, k: k, weight: weight, bias: bias, into: outputs)
        }
    }
}

private func streamingLinear(_ input: UnsafePointer<Float>, rows m: Int, k: Int, weight: Tensor, bias: Tensor?,
                             into outputs: UnsafeMutablePointer<Float>, mode: ComputeMode,
                             threads: Int, portable: Bool) {
    let weightType = weight.dtype.kernelFloatType
    withOptionalFloatValues(of: bias, for: "linear", "bias") { biases in
        janus_linear_streaming(input, m, k, weight.baseAddress, weightType, weight.shape[0], biases, outputs,
                               mode.kernelMode, threads, portable ? JANUS_ISA_PORTABLE : JANUS_ISA_BEST)
    }
}

private func blockedLinear(_ input: UnsafePointer<Float>, rows m: Int, k: Int, weight: Tensor, bias: Tensor?,
                           into outputs: UnsafeMutablePointer<Float>) {
    sgemmOverWeightBlocks(input, rows: m, k: k, n: weight.shape[0], bias: bias, into: outputs) { body in
        forEachFloatRowBlock(of: weight, rows: weight.shape[0], columns: k, maxBlockRows: linearBlockRows,
                             maxBlockElements: linearBlockElements, for: "linear", body)
    }
}

/// `linear` by OpenBLAS sgemm over f32 blocks of weight rows that `forEachBlock` hands
/// out (each `(rows, block)`: `rows.count` weight rows of K floats, row-major).
func sgemmOverWeightBlocks(_ input: UnsafePointer<Float>, rows m: Int, k: Int, n: Int, bias: Tensor?,
                           into outputs: UnsafeMutablePointer<Float>,
                           forEachBlock: ((_ rows: Range<Int>, _ block: UnsafePointer<Float>) -> Void) -> Void) {
    let op = "linear"
    // The bias is written first and the products accumulated onto it (beta = 1), the
    // same single rounding as torch's addmm.
    let beta: Float
    if let bias {
        fillRows(outputs, rows: m, with: bias)
        beta = 1
    } else {
        beta = 0
    }
    let (blasM, blasN, blasK) = (blasDimension(m, for: op), blasDimension(n, for: op), blasDimension(k, for: op))
    forEachBlock { rows, block in
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasM, Int32(rows.count), blasK,
                    1, input, blasK, block, blasK, beta, outputs + rows.lowerBound, blasN)
    }
}

/// Every one of `rows` output rows set to `bias` (widened to f32).
private func fillRows(_ outputs: UnsafeMutablePointer<Float>, rows: Int, with bias: Tensor) {
    let n = bias.elementCount
    Tensor.widen(bias.rawBytes, dtype: bias.dtype, into: outputs, count: n)
    for row in 1..<rows { (outputs + row * n).update(from: outputs, count: n) }
}

private func linearOutputShape(_ x: Tensor, weight: Tensor) -> [Int] {
    precondition(weight.rank == 2, "linear: weight must be [N, K], got \(weight.shape)")
    precondition(x.rank >= 1 && x.shape.last == weight.shape[1],
                 "linear: input \(x.shape) does not end in K = \(weight.shape[1]) of weight \(weight.shape)")
    return x.shape.dropLast() + [weight.shape[0]]
}

/// `a · b` for f32 matrices a `[M, K]` and b `[K, N]`.
public func matmul(_ a: Tensor, _ b: Tensor) -> Tensor {
    newOutput(matmulOutputShape(a, b)) { matmul(a, b, into: $0) }
}

/// `matmul` writing into `output` (`[M, N]`, separate from the inputs).
public func matmul(_ a: Tensor, _ b: Tensor, into output: Tensor) {
    let op = "matmul"
    let outputs = output.mutableFloats(for: op, expectedShape: matmulOutputShape(a, b))
    requireDisjoint(output, a, for: op)
    requireDisjoint(output, b, for: op)
    let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
    guard m > 0, n > 0 else { return }
    guard k > 0 else { outputs.update(repeating: 0, count: m * n); return }
    let (blasM, blasN, blasK) = (blasDimension(m, for: op), blasDimension(n, for: op), blasDimension(k, for: op))
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasM, blasN, blasK,
                1, a.floats(for: op, "a"), blasK, b.floats(for: op, "b"), blasN, 0, outputs, blasN)
}

private func matmulOutputShape(_ a: Tensor, _ b: Tensor) -> [Int] {
    precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0],
                 "matmul: cannot multiply \(a.shape) by \(b.shape)")
    return [a.shape[0], b.shape[1]]
}

/// `a · bᵀ` for a `[M, K]` (f32) and b `[N, K]` (any float dtype): `linear` without bias.
public func matmulTransposed(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmulTransposed: expected matrices, got \(a.shape) and \(b.shape)")
    return linear(a, weight: b)
}

/// `matmulTransposed` writing into `output` (`[M, N]`).
public func matmulTransposed(_ a: Tensor, _ b: Tensor, into output: Tensor) {
    precondition(a.rank == 2 && b.rank == 2, "matmulTransposed: expected matrices, got \(a.shape) and \(b.shape)")
    linear(a, weight: b, into: output)
}
