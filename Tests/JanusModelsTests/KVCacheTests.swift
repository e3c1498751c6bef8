@testable import JanusModels
import JanusTensor
import Testing

/// `KVCache` in both storage dtypes: appends round f32 keys/values to the cache's dtype,
/// growth keeps what is cached, truncation rewinds, and the benchmark fill reserves.
@Suite struct KVCacheTests {
    static let (kvHeads, headDim) = (2, 3)

    /// `count` positions of distinct values that bf16 cannot all hold exactly.
    static func positions(_ count: Int, seed: Float) -> Tensor {
        let values = (0..<(count * kvHeads * headDim)).map { seed + Float($0) * 1.001 }
        return Tensor(shape: [count, kvHeads, headDim], values)
    }

    /// Reserves, appends `keys` (and `keys` negated as values) to every layer, advances.
    static func append(_ keys: Tensor, to cache: KVCache) -> [(keys: Tensor, values: Tensor)] {
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

    @Test(arguments: [DType.f32, .bf16])
    func appendGrowAndTruncate(dtype: DType) {
        let cache = KVCache(layers: 2..<4, kvHeads: Self.kvHeads, headDim: Self.headDim, capacity: 2, dtype: dtype)
        let (first, second, third) = (Self.positions(3, seed: 1), Self.positions(4, seed: 100), Self.positions(1, seed: 7))
        // What the cache must hold: each appended value rounded to the cache's dtype.
        func stored(_ tensors: [Tensor]) -> [Float] { tensors.flatMap { $0.converted(to: dtype).floats() } }

        var returned = Self.append(first, to: cache)  // grows 2 -> 4
        #expect(cache.length == 3 && cache.capacity == 4)
        for (keys, values) in returned {
            #expect(keys.dtype == dtype && keys.shape == [3, Self.kvHeads, Self.headDim])
            #expect(keys.floats() == stored([first]))
            #expect(values.floats() == stored([first]).map { -$0 })
        }
        returned = Self.append(second, to: cache)  // grows 4 -> 8, keeping the first three
        #expect(cache.length == 7 && cache.capacity == 8)
        for (keys, values) in returned {
            #expect(keys.floats() == stored([first, second]))
            #expect(values.floats() == stored([first, second]).map { -$0 })
        }
        cache.truncate(to: 2)
        returned = Self.append(third, to: cache)  // overwrites position 2
        #expect(cache.length == 3 && cache.capacity == 8)
        let expected = stored([first.rows(0..<2), third])
        for (keys, values) in returned {
            #expect(keys.floats() == expected)
            #expect(values.floats() == expected.map { -$0 })
        }
        if dtype == .bf16 { #expect(stored([first]) != first.floats(), "the test values must round") }
    }

    @Test(arguments: [DType.f32, .bf16])
    func fillForBenchmarkReservesZeros(dtype: DType) {
        let cache = KVCache(layers: 0..<1, kvHeads: Self.kvHeads, headDim: Self.headDim, capacity: 1, dtype: dtype)
        cache.fillForBenchmark(length: 5)
        #expect(cache.length == 5 && cache.capacity == 8)
        let (keys, values) = Self.append(Self.positions(1, seed: 3), to: cache)[0]
        #expect(keys.shape == [6, Self.kvHeads, Self.headDim] && keys.dtype == dtype && values.dtype == dtype)
        #expect(keys.rows(0..<5).floats().allSatisfy { $0 == 0 })
    }
}
