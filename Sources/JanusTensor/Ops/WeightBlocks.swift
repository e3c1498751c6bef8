/// Walks a weight viewed as a `[rows, columns]` matrix in blocks of whole rows, handing
/// each block to `body` as aligned f32 (row-major, `columns` floats per row).
///
/// An aligned f32 weight is handed over in one block without copying. Anything else
/// (bf16 / f16 checkpoints, or f32 at an odd mmap offset) is converted block by block
/// into one scratch buffer of at most `maxBlockRows` rows and `maxBlockElements`
/// floats, so a multi-gigabyte bf16 matrix never exists in f32 all at once. OpenBLAS
/// has no bf16 GEMM on Debian; this keeps the f32 sgemm path for every dtype.
func forEachFloatRowBlock(of weight: Tensor, rows: Int, columns: Int,
                          maxBlockRows: Int, maxBlockElements: Int,
                          for op: String,
                          _ body: (_ rows: Range<Int>, _ block: UnsafePointer<Float>) -> Void) {
    precondition(weight.dtype.isFloatingPoint, "\(op): weight must be a float tensor, got \(weight.dtype)")
    precondition(weight.elementCount == rows * columns,
                 "\(op): weight \(weight.shape) is not a [\(rows), \(columns)] matrix")
    guard rows > 0 else { return }
    if weight.isAlignedFloat {
        body(0..<rows, weight.baseAddress.assumingMemoryBound(to: Float.self))
        return
    }
    let blockRows = max(1, min(rows, maxBlockRows, maxBlockElements / max(columns, 1)))
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(blockRows * columns, 1))
    defer { scratch.deallocate() }
    let rowBytes = columns * weight.dtype.size
    for start in stride(from: 0, to: rows, by: blockRows) {
        let block = start..<min(start + blockRows, rows)
        let source = UnsafeRawBufferPointer(start: weight.baseAddress + start * rowBytes,
                                            count: block.count * rowBytes)
        Tensor.widen(source, dtype: weight.dtype, into: scratch, count: block.count * columns)
        body(block, scratch)
    }
}
