import CJanusKernels

// Shared checks and pointer access for the ops. Shape mistakes are programmer errors,
// so they stop the process with a message naming the op and the shapes involved.

extension Tensor {
    /// Whether the bytes can be read as `Float` in place (f32 at a 4-byte boundary;
    /// mapped checkpoint tensors may sit at any byte offset).
    var isAlignedFloat: Bool {
        dtype == .f32 && Int(bitPattern: baseAddress) % MemoryLayout<Float>.alignment == 0
    }

    /// The last dimension: the length of one "row" for row-wise ops.
    var rowLength: Int { shape.last ?? 1 }

    /// How many rows of `rowLength` the tensor holds.
    var rowCount: Int { rowLength == 0 ? shape.dropLast().reduce(1, *) : elementCount / rowLength }

    /// Read access to an f32 activation.
    func floats(for op: String, _ role: String) -> UnsafePointer<Float> {
        precondition(dtype == .f32, "\(op): \(role) must be f32, got \(dtype) \(shape)")
        precondition(isAlignedFloat, "\(op): \(role) \(shape) is not 4-byte aligned; copy() it first")
        return baseAddress.assumingMemoryBound(to: Float.self)
    }

    /// Write access to an f32 output that must have exactly `expectedShape`.
    func mutableFloats(for op: String, expectedShape: [Int]) -> UnsafeMutablePointer<Float> {
        precondition(shape == expectedShape,
                     "\(op): output shape \(shape) does not match expected \(expectedShape)")
        precondition(dtype == .f32, "\(op): output must be f32, got \(dtype)")
        precondition(isWritable, "\(op): output \(shape) is read-only")
        precondition(isAlignedFloat, "\(op): output \(shape) is not 4-byte aligned")
        return UnsafeMutableRawPointer(mutating: baseAddress).assumingMemoryBound(to: Float.self)
    }

    /// The byte range this tensor covers, for overlap checks.
    var addressRange: Range<UInt> {
        let start = UInt(bitPattern: Int(bitPattern: baseAddress))
        return start..<(start + UInt(byteCount))
    }
}

/// Calls `body` with the tensor's values as aligned f32: in place when possible, else
/// widened (bf16/f16, or unaligned f32) into a temporary buffer. For weights and other
/// small parameters that may be stored in any float dtype.
func withFloatValues<Result>(of tensor: Tensor, for op: String, _ role: String,
                             _ body: (UnsafePointer<Float>) -> Result) -> Result {
    precondition(tensor.dtype.isFloatingPoint, "\(op): \(role) must be a float tensor, got \(tensor.dtype)")
    if tensor.isAlignedFloat {
        return body(tensor.baseAddress.assumingMemoryBound(to: Float.self))
    }
    let count = tensor.elementCount
    let widened = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
    defer { widened.deallocate() }
    Tensor.widen(tensor.rawBytes, dtype: tensor.dtype, into: widened, count: count)
    return body(widened)
}

/// Like `withFloatValues`, passing nil through (an absent weight or bias).
func withOptionalFloatValues<Result>(of tensor: Tensor?, for op: String, _ role: String,
                                     _ body: (UnsafePointer<Float>?) -> Result) -> Result {
    guard let tensor else { return body(nil) }
    return withFloatValues(of: tensor, for: op, role) { body($0) }
}

/// In-place use (the very same elements) is fine for elementwise and row-wise kernels;
/// a partial overlap would read values the kernel already overwrote.
func requireSameOrDisjoint(_ output: Tensor, _ input: Tensor, for op: String) {
    let out = output.addressRange, other = input.addressRange
    precondition(out == other || !out.overlaps(other),
                 "\(op): output \(output.shape) partially overlaps an input \(input.shape)")
}

/// Kernels that read inputs after writing outputs (GEMM, im2col, permutes) need
/// outputs in separate memory.
func requireDisjoint(_ output: Tensor, _ input: Tensor, for op: String) {
    precondition(!output.addressRange.overlaps(input.addressRange),
                 "\(op): output \(output.shape) overlaps an input \(input.shape)")
}

/// A dimension handed to BLAS (32-bit `blasint` in Debian's OpenBLAS). Every BLAS call
/// site passes its sizes through here, so this is also where OpenBLAS first learns the
/// thread pool's count (once per process).
func blasDimension(_ value: Int, for op: String) -> Int32 {
    ComputeThreads.prepare()
    precondition(value <= Int(Int32.max), "\(op): dimension \(value) exceeds the BLAS 32-bit limit")
    return Int32(value)
}

/// A fresh f32 tensor of `shape` (contents undefined), filled in full by an op's `into:`
/// variant: how every convenience form that returns a new tensor is built.
func newOutput(_ shape: [Int], _ fill: (Tensor) -> Void) -> Tensor {
    let output = Tensor(uninitialized: shape)
    fill(output)
    return output
}
