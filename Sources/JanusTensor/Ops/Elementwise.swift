import CJanusKernels

/// `a + b`. `b` has `a`'s shape or a trailing part of it (e.g. a bias `[D]` or a
/// position table `[T, D]` added to `[..., T, D]`), and may be in any float dtype.
public func add(_ a: Tensor, _ b: Tensor) -> Tensor {
    newOutput(a.shape) { add(a, b, into: $0) }
}

/// `a + b` into `output` (shape of `a`); `output` may be `a` itself (in place).
public func add(_ a: Tensor, _ b: Tensor, into output: Tensor) {
    broadcastBinary(a, b, into: output, op: "add", kernel: janus_add)
}

/// `a * b` elementwise, with `add`'s broadcasting rule.
public func multiply(_ a: Tensor, _ b: Tensor) -> Tensor {
    newOutput(a.shape) { multiply(a, b, into: $0) }
}

/// `a * b` into `output` (shape of `a`); `output` may be `a` itself (in place).
public func multiply(_ a: Tensor, _ b: Tensor, into output: Tensor) {
    broadcastBinary(a, b, into: output, op: "multiply", kernel: janus_mul)
}

/// `x * factor`.
public func scale(_ x: Tensor, by factor: Float) -> Tensor {
    newOutput(x.shape) { scale(x, by: factor, into: $0) }
}

/// `x * factor` into `output`; `output` may be `x` itself (in place).
public func scale(_ x: Tensor, by factor: Float, into output: Tensor) {
    let op = "scale"
    let outputs = output.mutableFloats(for: op, expectedShape: x.shape)
    requireSameOrDisjoint(output, x, for: op)
    janus_scale(x.floats(for: op, "input"), factor, outputs, x.elementCount)
}

private typealias BinaryKernel = (UnsafePointer<Float>?, UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Int) -> Void

private func broadcastBinary(_ a: Tensor, _ b: Tensor, into output: Tensor, op: String, kernel: BinaryKernel) {
    precondition(b.rank <= a.rank && Array(a.shape.suffix(b.rank)) == b.shape,
                 "\(op): shape \(b.shape) does not broadcast onto \(a.shape)")
    let outputs = output.mutableFloats(for: op, expectedShape: a.shape)
    requireSameOrDisjoint(output, a, for: op)
    requireSameOrDisjoint(output, b, for: op)
    let first = a.floats(for: op, "first operand")
    guard a.elementCount > 0 else { return }
    withFloatValues(of: b, for: op, "second operand") { second in
        kernel(first, second, outputs, a.elementCount, b.elementCount)
    }
}
