import JanusTensor

/// Keys and values of one sequence for a contiguous range of decoder layers (all of
/// them in one process; one pipeline stage's share in the cluster).
///
/// Storage is `[capacity, kvHeads, headDim]` per layer and grows by doubling, so a
/// decode step appends without allocating in the common case. The elements are f32
/// (the parity path) or bf16: under `--compute bf16` a decode step of many rows is
/// bound by reading every row's cache, and bf16 halves those bytes (the reference
/// keeps its cache in bf16 on GPU too). Appended f32 keys/values round to nearest even.
public final class KVCache: @unchecked Sendable {
    public let layers: Range<Int>
    public let kvHeads: Int
    public let headDim: Int
    /// `.f32` or `.bf16`.
    public let dtype: DType
    /// Positions already cached (= the next token's position).
    public private(set) var length = 0
    private(set) var capacity: Int
    /// Every layer's keys and values in one allocation, `[layers, 2, capacity, kvHeads,
    /// headDim]`: one buffer per sequence goes to huge pages (`LargeBufferPool`) and back
    /// to the system when the sequence ends, where per-layer buffers of a few MB would
    /// stay in malloc's heap after the image is done.
    private var storage: Tensor

    /// The dtype of caches made without naming one: bf16 when the process computes in
    /// bf16 (`ComputeMode.processDefault`), f32 otherwise.
    public static var processDefaultDType: DType { ComputeMode.processDefault == .bf16 ? .bf16 : .f32 }

    public init(layers: Range<Int>, kvHeads: Int, headDim: Int, capacity: Int = 64,
                dtype: DType = KVCache.processDefaultDType) {
        precondition(dtype == .f32 || dtype == .bf16, "KVCache: \(dtype) storage is not supported (f32 or bf16)")
        self.layers = layers
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.dtype = dtype
        self.capacity = max(capacity, 1)
        storage = Tensor(zeros: [layers.count, 2, max(capacity, 1), kvHeads, headDim], dtype: dtype)
    }

    /// Layer `index`'s (from 0) keys (`part` 0) or values (1), every position of the capacity.
    private func buffer(_ index: Int, _ part: Int) -> Tensor { storage[index][part] }

    /// Makes room for `count` more positions beyond `length`.
    func reserve(_ count: Int) {
        let needed = length + count
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let old = storage
        storage = Tensor(zeros: [layers.count, 2, newCapacity, kvHeads, headDim], dtype: dtype)
        if length > 0 {
            for index in 0..<layers.count {
                for part in 0..<2 { buffer(index, part).rows(0..<length).assign(old[index][part].rows(0..<length)) }
            }
        }
        capacity = newCapacity
    }

    /// Stores the keys/values (f32) of positions `length ..< length + T` for `layer` and
    /// returns every cached position `[0, length + T)` of that layer, in the cache's dtype.
    func append(layer: Int, keys newKeys: Tensor, values newValues: Tensor) -> (keys: Tensor, values: Tensor) {
        let index = layer - layers.lowerBound
        let count = newKeys.shape[0]
        precondition(length + count <= capacity, "KVCache: reserve() before append")
        let (keys, values) = (buffer(index, 0), buffer(index, 1))
        keys.rows(length..<length + count).assign(converting: newKeys)
        values.rows(length..<length + count).assign(converting: newValues)
        return (keys.rows(0..<length + count), values.rows(0..<length + count))
    }

    /// Marks `count` appended positions as cached (after every layer of the range ran).
    func advance(by count: Int) {
        length += count
    }

    /// Pretends `newLength` positions are cached (their keys and values stay zero).
    /// Benchmarks use it: a decode step costs the same whatever the cached values are.
    public func fillForBenchmark(length newLength: Int) {
        precondition(newLength >= length, "KVCache: fillForBenchmark cannot shrink \(length) to \(newLength)")
        reserve(newLength - length)
        length = newLength
    }

    /// Forgets everything after the first `length` positions (e.g. to reuse a prompt prefix).
    public func truncate(to newLength: Int) {
        precondition(newLength >= 0 && newLength <= length, "KVCache: cannot truncate \(length) to \(newLength)")
        length = newLength
    }
}
