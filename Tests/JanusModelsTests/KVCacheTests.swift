@testable import JanusModels
import JanusTensor
import JanusTestSupport
import Testing

/// `KVCache` in every storage dtype: appends round (or quantise) f32 keys/values to the
/// cache's dtype, growth keeps what is cached, truncation rewinds, and the benchmark fill
/// reserves.
@Suite struct KVCacheTests {
    static let kvHeads = 2

    /// Head dimension of the tests' caches: an int8 cache needs whole blocks of 16.
    static func headDim(_ dtype: DType) -> Int { dtype == .i8 ? 16 : 3 }

    /// `count` positions of distinct values that bf16 cannot all hold exactly.
    static func positions(_ count: Int, seed: Float, headDim: Int = 3) -> Tensor {
        let values = (0..<(count * kvHeads * headDim)).map { seed + Float($0) * 1.001 }
        return Tensor(shape: [count, kvHeads, headDim], values)
    }

    /// The f32 values `tensor` takes in a cache of `dtype`.
    static func stored(_ tensor: Tensor, as dtype: DType) -> [Float] {
        guard dtype == .i8 else { return tensor.converted(to: dtype).floats() }
        let (values, scales) = quantizedKVRows(tensor, block: 16)
        return dequantizedKVRows(values, scales: scales).floats()
    }

    /// Reserves, appends `keys` (and `keys` negated as values) to every layer, advances.
    static func append(_ keys: Tensor, to cache: KVCache) -> [KVCache.Layer] {
        cache.reserve(keys.shape[0])
        let values = Tensor(shape: keys.shape, keys.floats().map { -$0 })
        let returned = cache.layers.map { cache.append(layer: $0, keys: keys, values: values) }
        cache.advance(by: keys.shape[0])
        return returned
    }

    @Test func defaultsToF32OutsideBF16Compute() {
        #expect(ComputeMode.processDefault == .f32)
        #expect(KVCache(layers: 0..<1, kvHeads: 1, headDim: 1).dtype == .f32)
    }

    @Test(arguments: [DType.f32, .bf16, .i8])
    func appendGrowAndTruncate(dtype: DType) {
        let headDim = Self.headDim(dtype)
        let cache = KVCache(layers: 2..<4, kvHeads: Self.kvHeads, headDim: headDim, capacity: 2, dtype: dtype)
        let (first, second, third) = (Self.positions(3, seed: 1, headDim: headDim),
                                      Self.positions(4, seed: 100, headDim: headDim),
                                      Self.positions(1, seed: 7, headDim: headDim))
        // What the cache must hold: each appended value rounded to the cache's dtype.
        func stored(_ tensors: [Tensor]) -> [Float] { tensors.flatMap { Self.stored($0, as: dtype) } }

        var returned = Self.append(first, to: cache)  // grows 2 -> 4
        #expect(cache.length == 3 && cache.capacity == 4)
        for layer in returned {
            #expect(layer.keys.dtype == dtype && layer.keys.shape == [3, Self.kvHeads, headDim])
            #expect((layer.keyScales == nil) == (dtype != .i8))
            #expect(layer.floatKeys == stored([first]))
            #expect(layer.floatValues == stored([first]).map { -$0 })
        }
        returned = Self.append(second, to: cache)  // grows 4 -> 8, keeping the first three
        #expect(cache.length == 7 && cache.capacity == 8)
        for layer in returned {
            #expect(layer.floatKeys == stored([first, second]))
            #expect(layer.floatValues == stored([first, second]).map { -$0 })
        }
        cache.truncate(to: 2)
        returned = Self.append(third, to: cache)  // overwrites position 2
        #expect(cache.length == 3 && cache.capacity == 8)
        let expected = stored([first.rows(0..<2), third])
        for layer in returned {
            #expect(layer.floatKeys == expected)
            #expect(layer.floatValues == expected.map { -$0 })
        }
        if dtype != .f32 { #expect(stored([first]) != first.floats(), "the test values must round") }
    }

    @Test(arguments: [DType.f32, .bf16, .i8])
    func fillForBenchmarkReservesZeros(dtype: DType) {
        let headDim = Self.headDim(dtype)
        let cache = KVCache(layers: 0..<1, kvHeads: Self.kvHeads, headDim: headDim, capacity: 1, dtype: dtype)
        cache.fillForBenchmark(length: 5)
        #expect(cache.length == 5 && cache.capacity == 8)
        let layer = Self.append(Self.positions(1, seed: 3, headDim: headDim), to: cache)[0]
        #expect(layer.keys.shape == [6, Self.kvHeads, headDim] && layer.keys.dtype == dtype && layer.values.dtype == dtype)
        #expect(layer.floatKeys[0..<(5 * Self.kvHeads * headDim)].allSatisfy { $0 == 0 })
    }

    @Test func int8CachesTakeBlocksOf32WhereTheHeadsAllowAndCountTheirScales() {
        #expect(KVCache.int8Block(headDim: 128) == 32 && KVCache.int8Block(headDim: 48) == 16)
        #expect(KVCache.int8Block(headDim: 24) == nil)
        #expect(KVCache(layers: 0..<1, kvHeads: 1, headDim: 64, dtype: .i8).int8Block == 32)
        // Janus-Pro-1B: 16 heads of 128; bf16 512 bytes per head and position, int8 256 + 32.
        #expect(KVCache.bytesPerPosition(kvHeads: 16, headDim: 128, dtype: .bf16) == 2 * 16 * 256)
        #expect(KVCache.bytesPerPosition(kvHeads: 16, headDim: 128, dtype: .i8) == 2 * 16 * (128 + 16))
        #expect(KVCacheFormat.int8.unsupportedReason(headDim: 24) != nil)
        #expect(KVCacheFormat.int8.unsupportedReason(headDim: 16) == nil && KVCacheFormat.bf16.unsupportedReason(headDim: 3) == nil)
    }
}

extension KVCache.Layer {
    /// The keys / values as f32 (int8 ones dequantised).
    var floatKeys: [Float] { keyScales.map { dequantizedKVRows(keys, scales: $0).floats() } ?? keys.floats() }
    var floatValues: [Float] { valueScales.map { dequantizedKVRows(values, scales: $0).floats() } ?? values.floats() }
}
