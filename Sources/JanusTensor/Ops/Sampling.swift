import CJanusKernels

/// Index of the largest value in each row (last axis) of an f32 tensor, as
/// `torch.argmax(dim=-1)`: the first index on ties, and a NaN counts as the largest.
public func argmax(_ x: Tensor) -> [Int] {
    let op = "argmax"
    precondition(x.rank >= 1 && x.rowLength > 0, "\(op): needs non-empty rows, got \(x.shape)")
    let input = x.floats(for: op, "input")
    return [Int](unsafeUninitializedCapacity: x.rowCount) { buffer, initialized in
        buffer.withMemoryRebound(to: Int64.self) { indices in
            janus_rows_argmax(input, indices.baseAddress, x.rowCount, x.rowLength)
        }
        initialized = x.rowCount
    }
}

/// The `k` largest values of one row and where they were, largest first.
public struct TopK: Sendable, Equatable {
    public var values: [Float]
    public var indices: [Int]

    public init(values: [Float], indices: [Int]) {
        self.values = values
        self.indices = indices
    }
}

/// The `k` largest entries of each row (last axis), largest first; equal values keep
/// index order and NaN ranks above everything (as torch.topk on CPU).
public func topK(_ x: Tensor, k: Int) -> [TopK] {
    let op = "topK"
    precondition(x.rank >= 1 && k >= 0 && k <= x.rowLength,
                 "\(op): k = \(k) is not within the \(x.rowLength) entries per row of \(x.shape)")
    let input = x.floats(for: op, "input")
    return (0..<x.rowCount).map { row in
        topK(of: UnsafeBufferPointer(start: input + row * x.rowLength, count: x.rowLength), k: k)
    }
}

/// Keeps a sorted list of the best `k` seen so far; an entry only costs more than one
/// comparison when it beats the current k-th best, which is rare for logits.
private func topK(of row: UnsafeBufferPointer<Float>, k: Int) -> TopK {
    var best = TopK(values: [], indices: [])
    guard k > 0 else { return best }
    best.values.reserveCapacity(k + 1)
    best.indices.reserveCapacity(k + 1)
    for (index, value) in row.enumerated() {
        if best.values.count == k, let last = best.values.last, !ranksAbove(value, last) { continue }
        // Insert after every entry that ranks at least as high (earlier indices win ties).
        var low = 0, high = best.values.count
        while low < high {
            let middle = (low + high) / 2
            if ranksAbove(value, best.values[middle]) { high = middle } else { low = middle + 1 }
        }
        best.values.insert(value, at: low)
        best.indices.insert(index, at: low)
        if best.values.count > k {
            best.values.removeLast()
            best.indices.removeLast()
        }
    }
    return best
}

/// Strict order used by topK: NaN above numbers, otherwise by value.
private func ranksAbove(_ a: Float, _ b: Float) -> Bool {
    if a.isNaN { return !b.isNaN }
    return a > b
}
