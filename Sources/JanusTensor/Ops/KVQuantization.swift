import CJanusKernels

/// Quantises f32 keys or values `[..., D]` into an int8 KV cache's rows: symmetric int8
/// with one f32 scale per block of `D / scales.shape.last` elements (`--kv-cache int8`):
/// scale = max |x| / 127 over the block, values rounded to nearest even (a block holding
/// NaN or ±Inf gets scale NaN: it reads back as NaN). `values` (i8, the shape of `x`) and
/// `scales` (f32, `[..., D / block]`) are overwritten.
public func quantizeKVRows(_ x: Tensor, into values: Tensor, scales: Tensor) {
    let op = "quantizeKVRows"
    let block = kvBlock(values: values, scales: scales, for: op)
    precondition(x.shape == values.shape, "\(op): input \(x.shape) does not match values \(values.shape)")
    precondition(values.dtype == .i8 && values.isWritable && scales.isWritable,
                 "\(op): values (\(values.dtype)) and scales must be writable, values i8")
    requireDisjoint(values, x, for: op)
    requireDisjoint(scales, x, for: op)
    janus_quantize_kv_rows(x.floats(for: op, "input"), values.rowCount, values.rowLength, block,
                           UnsafeMutableRawPointer(mutating: values.baseAddress).assumingMemoryBound(to: Int8.self),
                           scales.mutableFloats(for: op, expectedShape: scales.shape))
}

/// The f32 values `q · scale` (one rounding each) that int8 rows and their scales stand for.
public func dequantizedKVRows(_ values: Tensor, scales: Tensor) -> Tensor {
    let op = "dequantizedKVRows"
    let block = kvBlock(values: values, scales: scales, for: op)
    precondition(values.dtype == .i8, "\(op): values must be i8, got \(values.dtype)")
    return newOutput(values.shape) { output in
        janus_dequantize_kv_rows(values.baseAddress.assumingMemoryBound(to: Int8.self),
                                 scales.floats(for: op, "scales"), values.rowCount, values.rowLength, block,
                                 output.mutableFloats(for: op, expectedShape: values.shape))
    }
}

/// Elements per scale, after checking that `scales` has one per block of every row.
private func kvBlock(values: Tensor, scales: Tensor, for op: String) -> Int {
    let blocks = scales.rowLength
    precondition(values.rank >= 1 && scales.shape.dropLast() == values.shape.dropLast() && blocks > 0
                 && values.rowLength % blocks == 0,
                 "\(op): scales \(scales.shape) are not whole blocks of values \(values.shape)")
    return values.rowLength / blocks
}
