import CJanusKernels

/// Scalar types that map one-to-one onto a `DType`.
public protocol TensorElement: Sendable {
    static var dtype: DType { get }
}
extension Float: TensorElement { public static var dtype: DType { .f32 } }
extension Int64: TensorElement { public static var dtype: DType { .i64 } }
extension Int32: TensorElement { public static var dtype: DType { .i32 } }
extension Int8: TensorElement { public static var dtype: DType { .i8 } }
extension UInt8: TensorElement { public static var dtype: DType { .u8 } }

/// A dense, row-major tensor: a dtype, a shape and a view into `TensorStorage`.
///
/// Weights loaded from a checkpoint keep their stored dtype (bf16 for the real Janus
/// checkpoints) and point into the mapped file; kernels read them in that dtype.
/// Activations are f32 tensors in writable storage.
public struct Tensor: @unchecked Sendable {
    public let dtype: DType
    public let shape: [Int]
    public let storage: TensorStorage
    public let byteOffset: Int

    public init(storage: TensorStorage, byteOffset: Int = 0, dtype: DType, shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        let count = shape.reduce(1, *)
        precondition(byteOffset >= 0 && byteOffset + count * dtype.size <= storage.byteCount,
                     "tensor view \(shape) \(dtype) exceeds its storage")
        self.storage = storage
        self.byteOffset = byteOffset
        self.dtype = dtype
        self.shape = shape
    }

    /// A zero-filled tensor in fresh memory.
    public init(zeros shape: [Int], dtype: DType = .f32) {
        let count = shape.reduce(1, *)
        self.init(storage: TensorStorage(zeroedByteCount: count * dtype.size), dtype: dtype, shape: shape)
    }

    /// A tensor in fresh memory whose contents are undefined, for an output that is
    /// about to be overwritten in full.
    init(uninitialized shape: [Int], dtype: DType = .f32) {
        let count = shape.reduce(1, *)
        self.init(storage: TensorStorage(uninitializedByteCount: count * dtype.size), dtype: dtype, shape: shape)
    }

    /// A tensor holding `values` (row-major) in fresh memory.
    public init<Element: TensorElement>(shape: [Int], _ values: [Element]) {
        precondition(shape.reduce(1, *) == values.count,
                     "\(values.count) values do not fill shape \(shape)")
        self.init(zeros: shape, dtype: Element.dtype)
        values.withUnsafeBytes { source in
            storage.baseAddress.copyMemory(from: source.baseAddress!, byteCount: source.count)
        }
    }

    public var rank: Int { shape.count }
    public var elementCount: Int { shape.reduce(1, *) }
    public var byteCount: Int { elementCount * dtype.size }
    public var isWritable: Bool { storage.isWritable }

    /// Start of this tensor's bytes. Mapped weights may be unaligned; kernels that need
    /// alignment copy first.
    public var baseAddress: UnsafeRawPointer { UnsafeRawPointer(storage.baseAddress + byteOffset) }

    public var rawBytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: baseAddress, count: byteCount)
    }

    /// Mutable element access for activations (f32 in writable storage, typically).
    public func mutableBuffer<Element: TensorElement>(of type: Element.Type) -> UnsafeMutableBufferPointer<Element> {
        precondition(dtype == Element.dtype, "tensor is \(dtype), not \(Element.dtype)")
        precondition(isWritable, "tensor storage is read-only (a mapped checkpoint)")
        let start = (storage.baseAddress + byteOffset).assumingMemoryBound(to: Element.self)
        return UnsafeMutableBufferPointer(start: start, count: elementCount)
    }

    /// The same bytes seen with another shape of the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == elementCount,
                     "cannot reshape \(shape) to \(newShape)")
        return Tensor(storage: storage, byteOffset: byteOffset, dtype: dtype, shape: newShape)
    }

    /// Slice `index` along the first dimension (a view, no copy).
    public subscript(index: Int) -> Tensor {
        precondition(rank >= 1 && index >= 0 && index < shape[0], "index \(index) out of \(shape)")
        let rowShape = Array(shape.dropFirst())
        let rowBytes = rowShape.reduce(1, *) * dtype.size
        return Tensor(storage: storage, byteOffset: byteOffset + index * rowBytes, dtype: dtype, shape: rowShape)
    }

    /// Rows `range` along the first dimension (a view, no copy).
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows \(range) out of \(shape)")
        var newShape = shape
        newShape[0] = range.count
        let rowBytes = shape.dropFirst().reduce(1, *) * dtype.size
        return Tensor(storage: storage, byteOffset: byteOffset + range.lowerBound * rowBytes,
                      dtype: dtype, shape: newShape)
    }

    /// Overwrites this tensor's elements with `source`'s (same dtype and element count;
    /// shapes may differ, e.g. a `[T, H, D]` view into a `[T, H·D]` row block).
    public func assign(_ source: Tensor) {
        precondition(dtype == source.dtype && elementCount == source.elementCount,
                     "assign: \(source) does not fit \(self)")
        precondition(isWritable, "assign: destination \(shape) is read-only")
        UnsafeMutableRawPointer(mutating: baseAddress).copyMemory(from: source.baseAddress, byteCount: byteCount)
    }

    /// Overwrites this tensor's elements with f32 `source`'s, rounded to this tensor's
    /// float dtype as `converted(to:)` rounds (nearest even), without allocating: how a
    /// bf16 KV cache stores the f32 keys and values of a step.
    public func assign(converting source: Tensor) {
        if source.dtype == dtype { return assign(source) }
        precondition(source.dtype == .f32 && (dtype == .bf16 || dtype == .f16) && elementCount == source.elementCount,
                     "assign(converting:): \(source) does not fit \(self)")
        precondition(isWritable, "assign(converting:): destination \(shape) is read-only")
        let values = source.floats(for: "assign(converting:)", "source")
        let destination = UnsafeMutableRawPointer(mutating: baseAddress)
        if dtype == .bf16 { janus_f32_to_bf16(values, destination, elementCount) }
        else { janus_f32_to_f16(values, destination, elementCount) }
    }

    /// A private, writable copy in fresh, aligned memory.
    public func copy() -> Tensor {
        let result = Tensor(uninitialized: shape, dtype: dtype)
        result.storage.baseAddress.copyMemory(from: baseAddress, byteCount: byteCount)
        return result
    }

    /// The elements as a Swift array; the dtype must match exactly.
    public func scalars<Element: TensorElement>(as type: Element.Type) -> [Element] {
        precondition(dtype == Element.dtype, "tensor is \(dtype), not \(Element.dtype)")
        return [Element](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: rawBytes)
            initialized = elementCount
        }
    }

    /// Every element widened to f32 (exact for bf16, f16 and small integers).
    public func floats() -> [Float] {
        [Float](unsafeUninitializedCapacity: elementCount) { buffer, initialized in
            Self.widen(rawBytes, dtype: dtype, into: buffer.baseAddress!, count: elementCount)
            initialized = elementCount
        }
    }

    /// Every element as Int64 (integer dtypes only).
    public func integers() -> [Int64] {
        switch dtype {
        case .i64: return scalars(as: Int64.self)
        case .i32: return scalars(as: Int32.self).map(Int64.init)
        case .i8: return scalars(as: Int8.self).map(Int64.init)
        case .u8: return scalars(as: UInt8.self).map(Int64.init)
        case .f32, .f16, .bf16: preconditionFailure("integers() on a \(dtype) tensor")
        }
    }

    /// This tensor in another floating-point dtype (rounding to nearest even when narrowing).
    public func converted(to target: DType) -> Tensor {
        if target == dtype { return self }
        precondition(dtype.isFloatingPoint && target.isFloatingPoint,
                     "conversion \(dtype) -> \(target) is not supported")
        let widened = dtype == .f32 ? self : Tensor(shape: shape, floats())
        if target == .f32 { return widened }
        let result = Tensor(zeros: shape, dtype: target)
        let source = widened.baseAddress.assumingMemoryBound(to: Float.self)
        switch target {
        case .bf16: janus_f32_to_bf16(source, result.storage.baseAddress, elementCount)
        case .f16: janus_f32_to_f16(source, result.storage.baseAddress, elementCount)
        default: preconditionFailure("unreachable")
        }
        return result
    }

    /// Writes `count` elements of `bytes` (in `dtype`) as f32 into `destination`.
    public static func widen(_ bytes: UnsafeRawBufferPointer, dtype: DType,
                             into destination: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0, let source = bytes.baseAddress else { return }
        switch dtype {
        case .f32: UnsafeMutableRawPointer(destination).copyMemory(from: source, byteCount: count * 4)
        case .bf16: janus_bf16_to_f32(source, destination, count)
        case .f16: janus_f16_to_f32(source, destination, count)
        case .i64: for i in 0..<count { destination[i] = Float(source.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)) }
        case .i32: for i in 0..<count { destination[i] = Float(source.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) }
        case .i8: for i in 0..<count { destination[i] = Float(source.load(fromByteOffset: i, as: Int8.self)) }
        case .u8: for i in 0..<count { destination[i] = Float(source.load(fromByteOffset: i, as: UInt8.self)) }
        }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor(\(dtype), \(shape))" }
}
