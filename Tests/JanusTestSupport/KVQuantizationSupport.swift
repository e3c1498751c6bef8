import JanusTensor

/// `x` `[..., D]` quantised as an int8 KV cache holds it, one scale per `block` elements:
/// the values and scales `quantizeKVRows` writes.
public func quantizedKVRows(_ x: Tensor, block: Int) -> (values: Tensor, scales: Tensor) {
    let values = Tensor(zeros: x.shape, dtype: .i8)
    let scales = Tensor(zeros: Array(x.shape.dropLast()) + [x.shape[x.rank - 1] / block])
    quantizeKVRows(x, into: values, scales: scales)
    return (values, scales)
}
