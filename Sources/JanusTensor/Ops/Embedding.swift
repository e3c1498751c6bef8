/// Rows `ids` of an embedding table `[V, D]` (any float dtype, possibly an unaligned
/// mmap view) as f32 `[ids.count, D]`.
public func embedding(ids: [Int], table: Tensor) -> Tensor {
    precondition(table.rank == 2, "embedding: table must be [V, D], got \(table.shape)")
    return newOutput([ids.count, table.shape[1]]) { embedding(ids: ids, table: table, into: $0) }
}

/// The gathered rows into `output` (`[ids.count, D]`). An id outside `0..<V` is a
/// programmer error (the tokenizer and the model disagree), so it stops the process.
public func embedding(ids: [Int], table: Tensor, into output: Tensor) {
    let op = "embedding"
    precondition(table.rank == 2 && table.dtype.isFloatingPoint,
                 "\(op): table must be a float [V, D] matrix, got \(table.dtype) \(table.shape)")
    let (vocabulary, width) = (table.shape[0], table.shape[1])
    let outputs = output.mutableFloats(for: op, expectedShape: [ids.count, width])
    let rowBytes = width * table.dtype.size
    for (row, id) in ids.enumerated() {
        precondition(id >= 0 && id < vocabulary,
                     "\(op): id \(id) at position \(row) is out of range for a table of \(vocabulary) rows \(table.shape)")
        let source = UnsafeRawBufferPointer(start: table.baseAddress + id * rowBytes, count: rowBytes)
        Tensor.widen(source, dtype: table.dtype, into: outputs + row * width, count: width)
    }
}
