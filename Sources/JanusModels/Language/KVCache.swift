import JanusTensor

/// Keys and values of one sequence for a contiguous range of decoder layers (all of
/// them in one process; one pipeline stage's share in the cluster).
///
/// Storage is `[capacity, kvHeads, headDim]` per layer and grows by doubling, so a
/// decode step appends without allocating in the common case. The elements are f32
/// (the parity path), bf16 or int8: under `--compute bf16` a decode step of many rows is
/// bound by reading every row's cache, and bf16 halves those bytes (the reference
/// keeps its cache in bf16 on GPU too). Appended f32 keys/values round to nearest even.
/// An int8 cache (`--kv-cache int8`) holds each head's row as symmetric int8 with one
/// f32 scale per `int8Block` elements (`quantizeKVRows`): 56% of bf16's bytes at head
/// dimension 128 (with int8 weights the bf16 caches of an image's two CFG rows were 14%
/// of the weights).
public final class KVCache: @unchecked Sendable {
    public let layers: Range<Int>
    public let kvHeads: Int
    public let headDim: Int
    /// `.f32`, `.bf16` or `.i8`.
    public let dtype: DType
    /// Elements per scale of an int8 cache (0 for the others).
    public let int8Block: Int
    /// Positions already cached (= the next token's position).
    public private(set) var length = 0
    private(set) var capacity: Int
    /// Every layer's keys and values in one allocation, `[layers, 2, capacity, kvHeads,
    /// headDim]`: one buffer per sequence goes to huge pages (`LargeBufferPool`) and back
    /// to the system when the sequence ends, where per-layer buffers of a few MB would
    /// stay in malloc's heap after the image is done.
    private var storage: Tensor
    /// An int8 cache's scales, `[layers, 2, capacity, kvHeads, headDim / int8Block]` f32.
    private var scaleStorage: Tensor?

    /// The dtype of caches made without naming one: `KVCacheFormat.processDefault`'s.
    public static var processDefaultDType: DType { KVCacheFormat.processDefault.dtype }

    /// Elements per scale of an int8 cache with heads of `headDim`: 32 where it divides
    /// them (as the int8 weights' blocks), else 16; nil when neither does (the kernels
    /// widen 16 elements per block at a time).
    public static func int8Block(headDim: Int) -> Int? {
        headDim > 0 && headDim % 32 == 0 ? 32 : headDim > 0 && headDim % 16 == 0 ? 16 : nil
    }

    /// Bytes one position takes in one layer (keys, values and an int8 cache's scales).
    public static func bytesPerPosition(kvHeads: Int, headDim: Int, dtype: DType) -> Int {
        let scales = dtype == .i8 ? (int8Block(headDim: headDim).map { headDim / $0 } ?? 0) * Float.dtype.size : 0
        return 2 * kvHeads * (headDim * dtype.size + scales)
    }

    public init(layers: Range<Int>, kvHeads: Int, headDim: Int, capacity: Int = 64,
                dtype: DType = KVCache.processDefaultDType) {
        precondition(dtype == .f32 || dtype == .bf16 || dtype == .i8,
                     "KVCache: \(dtype) storage is not supported (f32, bf16 or i8)")
        self.layers = layers
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.dtype = dtype
        if dtype == .i8 {
            guard let block = Self.int8Block(headDim: headDim) else {
                preconditionFailure("KVCache: an int8 cache needs a head dimension that is a multiple of 16, got \(headDim)")
            }
            int8Block = block
        } else {
            int8Block = 0
        }
        self.capacity = max(capacity, 1)
        (storage, scaleStorage) = Self.allocate(layers: layers.count, capacity: self.capacity, kvHeads: kvHeads,
                                                headDim: headDim, dtype: dtype, block: int8Block)
    }

    private static func allocate(layers: Int, capacity: Int, kvHeads: Int, headDim: Int, dtype: DType,
                                 block: Int) -> (Tensor, Tensor?) {
        let elements = Tensor(zeros: [layers, 2, capacity, kvHeads, headDim], dtype: dtype)
        guard block > 0 else { return (elements, nil) }
        return (elements, Tensor(zeros: [layers, 2, capacity, kvHeads, headDim / block]))
    }

    /// Layer `index`'s (from 0) keys (`part` 0) or values (1), every position of the capacity.
    private func buffer(_ index: Int, _ part: Int) -> Tensor { storage[index][part] }

    /// Their scales (int8 caches).
    private func scales(_ index: Int, _ part: Int) -> Tensor? { scaleStorage?[index][part] }

    /// Makes room for `count` more positions beyond `length`.
    func reserve(_ count: Int) {
        let needed = length + count
        guard needed > capacity else { return }
        var newCapacity = capacity
        while newCapacity < needed { newCapacity *= 2 }
        let (old, oldScales) = (storage, scaleStorage)
        (storage, scaleStorage) = Self.allocate(layers: layers.count, capacity: newCapacity, kvHeads: kvHeads,
                                                headDim: headDim, dtype: dtype, block: int8Block)
        if length > 0 {
            for index in 0..<layers.count {
                for part in 0..<2 {
                    buffer(index, part).rows(0..<length).assign(old[index][part].rows(0..<length))
                    if let oldScales { scales(index, part)?.rows(0..<length).assign(oldScales[index][part].rows(0..<length)) }
                }
            }
        }
        capacity = newCapacity
    }

    /// One layer's cached positions `[0, length + T)` after an append, in the cache's
    /// dtype (int8 ones with their scales): what attention reads.
    public struct Layer {
        public let keys: Tensor
        public let values: Tensor
        public let keyScales: Tensor?
        public let valueScales: Tensor?

        /// Attention of `query` over these positions into `output`.
        public func attention(query: Tensor, output: Tensor) -> AttentionSequence {
            AttentionSequence(query: query, key: keys, value: values, output: output,
                              keyScales: keyScales, valueScales: valueScales)
        }
    }

    /// Stores the keys/values (f32) of positions `length ..< length + T` for `layer` and
    /// returns every cached position `[0, length + T)` of that layer.
    func append(layer: Int, keys newKeys: Tensor, values newValues: Tensor) -> Layer {
        let index = layer - layers.lowerBound
        let count = newKeys.shape[0]
        precondition(length + count <= capacity, "KVCache: reserve() before append")
        let appended = length..<length + count, cached = 0..<length + count
        let (keys, values) = (buffer(index, 0), buffer(index, 1))
        guard let keyScales = scales(index, 0), let valueScales = scales(index, 1) else {
            keys.rows(appended).assign(converting: newKeys)
            values.rows(appended).assign(converting: newValues)
            return Layer(keys: keys.rows(cached), values: values.rows(cached), keyScales: nil, valueScales: nil)
        }
        quantizeKVRows(newKeys, into: keys.rows(appended), scales: keyScales.rows(appended))
        quantizeKVRows(newValues, into: values.rows(appended), scales: valueScales.rows(appended))
        return Layer(keys: keys.rows(cached), values: values.rows(cached),
                     keyScales: keyScales.rows(cached), valueScales: valueScales.rows(cached))
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
