import CJanusKernels

/// `linear` over an int8 weight: x `[..., K]` f32, the result `[..., N]` f32.
/// - `.f32` compute: exact f32 products of x with the dequantised weight (`q · scale`).
/// - `.bf16` compute: x split per block of 32 into two int8 parts (about 15 bits, finer
///   than bf16; one int8 part, llama.cpp's Q8_0, doubled the KL of the golden cases) and
///   each block's dot products exact in int32 (`vpdpbusd` where the CPU has AVX512_VNNI),
///   then scaled and summed in f32.
public func linear(_ x: Tensor, weight: Int8BlockWeight, bias: Tensor? = nil, compute: ComputeMode? = nil) -> Tensor {
    newOutput(x.shape.dropLast() + [weight.shape[0]]) { linear(x, weight: weight, bias: bias, into: $0, compute: compute) }
}

/// `linear` over an int8 weight, writing into `output` (`[..., N]`, separate from `x`).
/// `portable` (for tests) forces the int8 kernel without its SIMD variants.
public func linear(_ x: Tensor, weight: Int8BlockWeight, bias: Tensor? = nil, into output: Tensor,
                   compute: ComputeMode? = nil, portable: Bool = false) {
    linear(x, weight: weight, bias: bias, into: output, compute: compute ?? .processDefault,
           path: portable ? .streaming(threads: 0, portable: true) : .automatic)
}

func linear(_ x: Tensor, weight: Int8BlockWeight, bias: Tensor?, into output: Tensor, compute mode: ComputeMode,
            path: LinearPath) {
    let op = "linear"
    let (n, k) = (weight.shape[0], weight.shape[1])
    precondition(x.rank >= 1 && x.shape.last == k, "linear: input \(x.shape) does not end in K = \(k)")
    let outputs = output.mutableFloats(for: op, expectedShape: x.shape.dropLast() + [n])
    requireDisjoint(output, x, for: op)
    if let bias { precondition(bias.shape == [n], "\(op): bias \(bias.shape) does not match weight \(weight.shape)") }
    let m = x.rowCount
    guard m > 0, n > 0 else { return }
    switch path {
    case .automatic where usesInt8Kernel(rows: m, compute: mode):
        int8Kernel(x, rows: m, weight: weight, bias: bias, into: outputs, mode: mode, threads: 0, portable: false)
    case .streaming(let threads, let portable):
        int8Kernel(x, rows: m, weight: weight, bias: bias, into: outputs, mode: mode, threads: threads,
                   portable: portable)
    case .automatic, .blocked:
        // As for float weights: with bf16 compute the activations are rounded to bf16 first.
        let activations = mode == .bf16 ? x.converted(to: .bf16).converted(to: .f32) : x
        sgemmOverWeightBlocks(activations.floats(for: op, "input"), rows: m, k: k, n: n, bias: bias,
                              into: outputs) { body in
            let blockRows = max(1, min(linearBlockRows, linearBlockElements / k))
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * k)
            defer { scratch.deallocate() }
            for start in stride(from: 0, to: n, by: blockRows) {
                let rows = start..<min(start + blockRows, n)
                weight.dequantize(rows: rows, into: scratch)
                body(rows, scratch)
            }
        }
    }
}

/// Whether `rows` activation rows go through the int8 kernel rather than dequantise +
/// sgemm. The kernel reads each weight byte once for all rows, which wins for decode
/// steps. With bf16 compute on AVX512_VNNI it wins at every size (measured on the 2-core
/// Zen 4 at 600 rows x 2048 x 2048, one thread: 33 ms, against 58 ms for dequantise +
/// sgemm, the path bf16 weights take there); elsewhere its f32 products are no faster
/// than sgemm's once rows fill sgemm's tiles (65 ms).
private func usesInt8Kernel(rows: Int, compute: ComputeMode) -> Bool {
    rows <= LinearPath.streamingRowLimit || (compute == .bf16 && janus_cpu_has_avx512_vnni() != 0)
}

private func int8Kernel(_ x: Tensor, rows m: Int, weight: Int8BlockWeight, bias: Tensor?,
                        into outputs: UnsafeMutablePointer<Float>, mode: ComputeMode, threads: Int, portable: Bool) {
    withOptionalFloatValues(of: bias, for: "linear", "bias") { biases in
        janus_linear_int8(x.floats(for: "linear", "input"), m, weight.shape[1], weight.packedValues,
                          weight.packedScales, weight.shape[0], biases, outputs, mode.kernelMode, threads,
                          portable ? JANUS_ISA_PORTABLE : JANUS_ISA_BEST)
    }
}
