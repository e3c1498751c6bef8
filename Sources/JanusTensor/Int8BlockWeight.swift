import CJanusKernels

/// A linear layer's weight `[N, K]` quantised symmetrically per block of
/// `Int8BlockWeight.blockSize` along K (`--weights int8`): `w = q · scale`, q in −127…127,
/// one bf16 scale per block. About half the bytes of bf16, so a decode step streams half
/// as much. Held in the kernels' packed layout (rows interleaved in groups of
/// `groupRows`, see `janus_kernels.h`); `unpacked()` gives the plain row-major values.
public struct Int8BlockWeight: Sendable {
    public static let blockSize = Int(JANUS_INT8_BLOCK)
    /// Rows the packed layout interleaves; the last group is padded with zero rows.
    public static let groupRows = Int(JANUS_INT8_GROUP)

    /// `[N, K]`.
    public let shape: [Int]
    /// The packed values (q + 128), `[packedRows, K]` u8.
    let values: Tensor
    /// The packed scales, `[packedRows, K / blockSize]` bf16.
    let scales: Tensor

    /// Whether a weight of this shape and dtype can be quantised (K a whole number of blocks).
    public static func canQuantize(_ weight: Tensor) -> Bool {
        weight.rank == 2 && weight.dtype.isFloatingPoint && weight.shape[1] > 0
            && weight.shape[1] % blockSize == 0
    }

    /// Quantises a float `[N, K]` weight (K a multiple of `blockSize`). Keeps no reference
    /// to `weight`, so its memory can go once the caller lets it.
    public init(quantizing weight: Tensor) {
        self.init(quantizing: weight, arena: .shared)
    }

    /// The same, placed in `arena`.
    init(quantizing weight: Tensor, arena: WeightArena) {
        precondition(Self.canQuantize(weight), "Int8BlockWeight: cannot quantise \(weight.dtype) \(weight.shape)")
        let (n, k) = (weight.shape[0], weight.shape[1])
        let packedRows = janus_int8_packed_rows(n)
        shape = [n, k]
        // One arena for every int8 weight: mappings of their own would round each up to
        // whole huge pages (see `WeightArena`).
        values = Tensor(arenaZeros: [packedRows, k], dtype: .u8, in: arena)
        scales = Tensor(arenaZeros: [packedRows, k / Self.blockSize], dtype: .bf16, in: arena)
        janus_quantize_int8_blocks(weight.baseAddress, weight.dtype.kernelFloatType, n, k,
                                   values.mutableBytes(as: UInt8.self), scales.mutableBytes(as: UInt16.self))
    }

    var packedValues: UnsafePointer<UInt8> { values.baseAddress.assumingMemoryBound(to: UInt8.self) }
    var packedScales: UnsafePointer<UInt16> { scales.baseAddress.assumingMemoryBound(to: UInt16.self) }

    /// Bytes held: the values and the scales.
    public var byteCount: Int { values.byteCount + scales.byteCount }

    /// The quantised values `[N, K]` and scales `[N, K / blockSize]`, row-major.
    public func unpacked() -> (values: [Int8], scales: [Float]) {
        let (n, k) = (shape[0], shape[1])
        var q = [Int8](repeating: 0, count: n * k)
        var s = [Float](repeating: 0, count: n * k / Self.blockSize)
        janus_int8_unpack(packedValues, packedScales, n, k, &q, &s)
        return (q, s)
    }

    /// The f32 weight the int8 values stand for (`q · scale`, exact).
    public func dequantized() -> Tensor {
        let result = Tensor(zeros: shape)
        dequantize(rows: 0..<shape[0], into: result.mutableBytes(as: Float.self))
        return result
    }

    /// Rows `rows` of `dequantized()` into `out` (`rows.count · K` floats).
    func dequantize(rows: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        janus_int8_dequantize_rows(packedValues, packedScales, shape[1], rows.lowerBound, rows.count, out)
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
    /// The storage of a tensor this module just allocated, for a kernel to fill.
    fileprivate func mutableBytes<Scalar>(as type: Scalar.Type) -> UnsafeMutablePointer<Scalar> {
        UnsafeMutablePointer(mutating: baseAddress.assumingMemoryBound(to: Scalar.self))
    }
}
