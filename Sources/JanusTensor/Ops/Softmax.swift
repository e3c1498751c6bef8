import CJanusKernels

/// `softmax(x / temperature)` over the last axis, max-subtracted so large logits are safe.
/// A row that is entirely -inf yields NaN, as in torch.
public func softmax(_ x: Tensor, temperature: Float = 1) -> Tensor {
    newOutput(x.shape) { softmax(x, temperature: temperature, into: $0) }
}

/// Softmax into `output`; `output` may be `x` itself (in place).
public func softmax(_ x: Tensor, temperature: Float = 1, into output: Tensor) {
    let op = "softmax"
    precondition(temperature > 0, "\(op): temperature must be positive, got \(temperature)")
    let (input, outputs) = rowwiseOperands(x, into: output, op: op)
    janus_rows_softmax(input, outputs, x.rowCount, x.rowLength, temperature)
}

/// `log_softmax(x / temperature)` over the last axis.
public func logSoftmax(_ x: Tensor, temperature: Float = 1) -> Tensor {
    newOutput(x.shape) { logSoftmax(x, temperature: temperature, into: $0) }
}

/// Log-softmax into `output`; `output` may be `x` itself (in place).
public func logSoftmax(_ x: Tensor, temperature: Float = 1, into output: Tensor) {
    let op = "logSoftmax"
    precondition(temperature > 0, "\(op): temperature must be positive, got \(temperature)")
    let (input, outputs) = rowwiseOperands(x, into: output, op: op)
    janus_rows_log_softmax(input, outputs, x.rowCount, x.rowLength, temperature)
}

/// Sets attention scores `[..., T, S]` to -inf where key `s` lies after query `t`'s
/// position `queryOffset + t` (in place). For a query block at the end of a cache of S
/// keys, `queryOffset` is `S - T`.
public func applyCausalMask(_ scores: Tensor, queryOffset: Int) {
    let op = "applyCausalMask"
    precondition(scores.rank >= 2, "\(op): scores must be [..., T, S], got \(scores.shape)")
    precondition(queryOffset >= 0, "\(op): negative query offset \(queryOffset)")
    let (queries, keys) = (scores.shape[scores.rank - 2], scores.shape[scores.rank - 1])
    let matrices = queries * keys == 0 ? 0 : scores.elementCount / (queries * keys)
    let values = scores.mutableFloats(for: op, expectedShape: scores.shape)
    for matrix in 0..<matrices {
        janus_causal_mask(values + matrix * queries * keys, queries, keys, queryOffset)
    }
}
