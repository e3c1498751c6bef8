import CJanusKernels

/// A linear layer's weight `[N, K]` quantised symmetrically per block of
/// `Int8BlockWeight.blockSize` along K (`--weights int8`): `w ≈ values · scale`, one f32
/// scale per block. About half the bytes of bf16, so a decode step streams half as much.
public struct Int8BlockWeight: Sendable {
    public static let blockSize = Int(JANUS_INT8_BLOCK)

    /// `[N, K]` int8 in −127…127.
    public let values: Tensor
    /// `[N, K / blockSize]` f32.
    public let scales: Tensor

    public var shape: [Int] { values.shape }

    /// Whether a weight of this shape and dtype can be quantised (K a whole number of blocks).
    public static func canQuantize(_ weight: Tensor) -> Bool {
        weight.rank == 2 && weight.dtype.isFloatingPoint && weight.shape[1] > 0
            && weight.shape[1] % blockSize == 0
    }

    /// Quantises a float `[N, K]` weight (K a multiple of `blockSize`).
    public init(quantizing weight: Tensor) {
        precondition(Self.canQuantize(weight), "Int8BlockWeight: cannot quantise \(weight.dtype) \(weight.shape)")
        let (n, k) = (weight.shape[0], weight.shape[1])
        values = Tensor(zeros: [n, k], dtype: .i8)
        scales = Tensor(zeros: [n, k / Self.blockSize])
        janus_quantize_int8_blocks(weight.baseAddress, weight.dtype.kernelFloatType, n, k,
                                   values.mutableInt8s, scales.mutableFloats(for: "quantize", expectedShape: scales.shape))
    }

    /// The f32 weight the int8 values stand for (`values · scale`, each product rounded once).
    public func dequantized() -> Tensor {
        let (n, k) = (shape[0], shape[1])
        let q = values.scalars(as: Int8.self)
        let s = scales.scalars(as: Float.self)
        var result = [Float](repeating: 0, count: n * k)
        for index in result.indices { result[index] = Float(q[index]) * s[index / Self.blockSize] }
        return Tensor(shape: [n, k], result)
    }
}

/// `linear` over an int8 weight: x `[..., K]` f32, the result `[..., N]` f32. With
/// `.bf16` compute the activations are rounded to bf16 first, as for float weights.
public func linear(_ x: Tensor, weight: Int8BlockWeight, bias: Tensor? = nil, compute: ComputeMode? = nil) -> Tensor {
    newOutput(x.shape.dropLast() + [weight.shape[0]]) { linear(x, weight: weight, bias: bias, into: $0, compute: compute) }
}

/// `linear` over an int8 weight, writing into `output` (`[..., N]`, separate from `x`).
public func linear(_ x: Tensor, weight: Int8BlockWeight, bias: Tensor? = nil, into output: Tensor,
                   compute: ComputeMode? = nil, portable: Bool = false) {
    let op = "linear"
    let (n, k) = (weight.shape[0], weight.shape[1])
    precondition(x.rank >= 1 && x.shape.last == k, "linear: input \(x.shape) does not end in K = \(k)")
    let outputs = output.mutableFloats(for: op, expectedShape: x.shape.dropLast() + [n])
    requireDisjoint(output, x, for: op)
    if let bias { precondition(bias.shape == [n], "\(op): bias \(bias.shape) does not match weight \(weight.shape)") }
    let m = x.rowCount
    guard m > 0, n > 0 else { return }
    let activations = (compute ?? .processDefault) == .bf16 ? x.converted(to: .bf16).converted(to: .f32) : x
    let q = weight.values.baseAddress.assumingMemoryBound(to: Int8.self)
    let scales = weight.scales.baseAddress.assumingMemoryBound(to: Float.self)
    withOptionalFloatValues(of: bias, for: op, "bias") { biases in
        janus_linear_int8(activations.floats(for: op, "input"), m, k, q, scales, n, biases, outputs, 0,
                          portable ? JANUS_ISA_PORTABLE : JANUS_ISA_BEST)
    }
}

extension DType {
    var kernelFloatType: janus_float_type {
        switch self {
        case .f32: JANUS_FLOAT_F32
        case .f16: JANUS_FLOAT_F16
        default: JANUS_FLOAT_BF16
        }
    }
}

extension Tensor {
    fileprivate var mutableInt8s: UnsafeMutablePointer<Int8> {
        UnsafeMutablePointer(mutating: baseAddress.assumingMemoryBound(to: Int8.self))
    }
}
