import CJanusKernels

/// A copy of `x` with its axes reordered: result axis `i` is `x`'s axis `axes[i]`
/// (`x.permute(axes).contiguous()`). `[T, H, D]` → `[H, T, D]` is `permute(x, [1, 0, 2])`.
public func permute(_ x: Tensor, _ axes: [Int]) -> Tensor {
    newOutput(permutedShape(x, axes)) { permute(x, axes, into: $0) }
}

/// The permuted copy into `output` (separate from `x`).
public func permute(_ x: Tensor, _ axes: [Int], into output: Tensor) {
    let op = "permute"
    let shape = permutedShape(x, axes)
    let outputs = output.mutableFloats(for: op, expectedShape: shape)
    requireDisjoint(output, x, for: op)
    // Row-major strides of x, read in the new axis order.
    var strides = [Int](repeating: 1, count: x.rank)
    for axis in stride(from: x.rank - 2, through: 0, by: -1) { strides[axis] = strides[axis + 1] * x.shape[axis + 1] }
    let sourceStrides = axes.map { strides[$0] }
    janus_strided_copy(x.floats(for: op, "input"), outputs, x.rank, shape, sourceStrides)
}

/// `[N, C, H, W]` → `[N, H, W, C]`.
public func nchwToNhwc(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "nchwToNhwc: input must be rank 4, got \(x.shape)")
    return permute(x, [0, 2, 3, 1])
}

/// `[N, H, W, C]` → `[N, C, H, W]`.
public func nhwcToNchw(_ x: Tensor) -> Tensor {
    precondition(x.rank == 4, "nhwcToNchw: input must be rank 4, got \(x.shape)")
    return permute(x, [0, 3, 1, 2])
}

private func permutedShape(_ x: Tensor, _ axes: [Int]) -> [Int] {
    precondition((1...8).contains(x.rank) && axes.sorted() == Array(0..<x.rank),
                 "permute: \(axes) is not a permutation of the axes of \(x.shape) (rank 1...8)")
    return axes.map { x.shape[$0] }
}
