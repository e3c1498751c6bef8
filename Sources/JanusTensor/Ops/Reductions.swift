import CJanusKernels

/// Sum over the last axis: `[..., D]` → `[...]`.
public func sumLastAxis(_ x: Tensor) -> Tensor { reduceLastAxis(x, op: "sumLastAxis", kernel: janus_rows_sum) }

/// Mean over the last axis: `[..., D]` → `[...]`.
public func meanLastAxis(_ x: Tensor) -> Tensor { reduceLastAxis(x, op: "meanLastAxis", kernel: janus_rows_mean) }

/// Maximum over the last axis: `[..., D]` → `[...]` (NaN if a row holds a NaN).
public func maxLastAxis(_ x: Tensor) -> Tensor {
    precondition(x.rowLength > 0 || x.rowCount == 0, "maxLastAxis: empty rows in \(x.shape)")
    return reduceLastAxis(x, op: "maxLastAxis", kernel: janus_rows_max)
}

/// Each row divided by its L2 norm, `x / max(‖x‖, eps)` (`F.normalize(x, dim=-1)`).
public func l2Normalize(_ x: Tensor, eps: Float = 1e-12) -> Tensor {
    newOutput(x.shape) { l2Normalize(x, eps: eps, into: $0) }
}

/// L2 normalisation into `output`; `output` may be `x` itself (in place).
public func l2Normalize(_ x: Tensor, eps: Float = 1e-12, into output: Tensor) {
    let (input, outputs) = rowwiseOperands(x, into: output, op: "l2Normalize")
    janus_rows_l2_normalize(input, outputs, x.rowCount, x.rowLength, eps)
}

private typealias RowReduction = (UnsafePointer<Float>?, UnsafeMutablePointer<Float>?, Int, Int) -> Void

private func reduceLastAxis(_ x: Tensor, op: String, kernel: RowReduction) -> Tensor {
    precondition(x.rank >= 1, "\(op): input must have at least one axis, got \(x.shape)")
    let input = x.floats(for: op, "input")
    return newOutput(Array(x.shape.dropLast())) { output in
        kernel(input, output.mutableFloats(for: op, expectedShape: output.shape), x.rowCount, x.rowLength)
    }
}
