import Foundation
@testable import JanusTensor
import Testing

/// Naive attention in double: every (query, head) pair scored against every visible key.
func referenceAttention(query: Tensor, key: Tensor, value: Tensor, causal: Bool, scale: Double? = nil) -> [Double] {
    let (queries, heads, headDim) = (query.shape[0], query.shape[1], query.shape[2])
    let (keys, kvHeads, valueDim) = (key.shape[0], key.shape[1], value.shape[2])
    let (q, k, v) = (doubles(query), doubles(key), doubles(value))
    let factor = scale ?? 1 / Double(headDim).squareRoot()
    var result = [Double](repeating: 0, count: queries * heads * valueDim)
    for t in 0..<queries {
        for head in 0..<heads {
            let kvHead = head / (heads / kvHeads)
            let visible = causal ? keys - queries + t + 1 : keys
            let scores = (0..<visible).map { s in
                (0..<headDim).reduce(0.0) { $0 + q[(t * heads + head) * headDim + $1] * k[(s * kvHeads + kvHead) * headDim + $1] } * factor
            }
            let shift = scores.max()!
            let weights = scores.map { exp($0 - shift) }
            let total = weights.reduce(0, +)
            for d in 0..<valueDim {
                result[(t * heads + head) * valueDim + d] = (0..<visible).reduce(0.0) {
                    $0 + weights[$1] / total * v[($1 * kvHeads + kvHead) * valueDim + d]
                }
            }
        }
    }
    return result
}

@Suite struct AttentionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let queries, keys, heads, kvHeads, headDim, valueDim: Int
        let causal: Bool
        /// Random query, key and value of the case's shapes (scores spread over [-4, 4]·√D).
        func randomInputs(seed: UInt64) -> (query: Tensor, key: Tensor, value: Tensor) {
            (randomTensor([queries, heads, headDim], seed: seed, in: -2...2),
             randomTensor([keys, kvHeads, headDim], seed: seed + 1, in: -2...2),
             randomTensor([keys, kvHeads, valueDim], seed: seed + 2))
        }

        var testDescription: String {
            "T\(queries) S\(keys) H\(heads)/\(kvHeads) D\(headDim)/\(valueDim)\(causal ? " causal" : "")"
        }
    }

    static let cases: [Case] = [
        Case(queries: 5, keys: 5, heads: 3, kvHeads: 3, headDim: 8, valueDim: 8, causal: false),  // SigLIP-like
        Case(queries: 6, keys: 6, heads: 2, kvHeads: 2, headDim: 16, valueDim: 16, causal: true),  // prefill
        Case(queries: 2, keys: 7, heads: 2, kvHeads: 2, headDim: 4, valueDim: 4, causal: true),    // chunk after a cache
        Case(queries: 1, keys: 9, heads: 4, kvHeads: 2, headDim: 8, valueDim: 6, causal: true),    // GQA decode step
        Case(queries: 4, keys: 4, heads: 6, kvHeads: 1, headDim: 5, valueDim: 3, causal: true),    // multi-query
        // Above the few-queries limit (8): the sgemm path.
        Case(queries: 12, keys: 12, heads: 2, kvHeads: 1, headDim: 20, valueDim: 20, causal: true),
        Case(queries: 9, keys: 30, heads: 4, kvHeads: 2, headDim: 8, valueDim: 8, causal: true),
        Case(queries: 9, keys: 9, heads: 3, kvHeads: 3, headDim: 16, valueDim: 16, causal: false),
        // Several position blocks merged, with causal offsets and grouped heads.
        Case(queries: 3, keys: 200, heads: 4, kvHeads: 2, headDim: 24, valueDim: 20, causal: true),
        // At the limit, and a decode step against a long cache at Janus-Pro-1B's head size.
        Case(queries: 8, keys: 40, heads: 4, kvHeads: 4, headDim: 33, valueDim: 17, causal: true),
        Case(queries: 1, keys: 600, heads: 16, kvHeads: 16, headDim: 128, valueDim: 128, causal: true),
        // Heads reduced 16 at a time (AVX-512), with grouped heads and 4 left over.
        Case(queries: 2, keys: 130, heads: 32, kvHeads: 8, headDim: 40, valueDim: 24, causal: true),
        Case(queries: 1, keys: 70, heads: 20, kvHeads: 4, headDim: 16, valueDim: 9, causal: true),
    ]

    @Test(arguments: cases)
    func attentionMatchesReference(_ c: Case) {
        let (query, key, value) = c.randomInputs(seed: 50)
        let expected = referenceAttention(query: query, key: key, value: value, causal: c.causal)
        expectClose(scaledDotProductAttention(query: query, key: key, value: value, causal: c.causal), expected)
        let output = Tensor(zeros: [c.queries, c.heads, c.valueDim])
        scaledDotProductAttention(query: query, key: key, value: value, causal: c.causal, scale: 0.3, into: output)
        expectClose(output, referenceAttention(query: query, key: key, value: value, causal: c.causal, scale: 0.3))
    }

    /// Every kernel, whatever the query count: the few-queries kernel with its SIMD
    /// variant and its portable fallback, and the sgemm path.
    static let paths: [AttentionPath] = [.automatic, .fewQueries(portable: false), .fewQueries(portable: true), .sgemm]

    static func run(_ path: AttentionPath, query: Tensor, key: Tensor, value: Tensor, causal: Bool,
                    scale: Float? = nil) -> Tensor {
        let output = Tensor(shape: [query.shape[0], query.shape[1], value.shape[2]],
                            [Float](repeating: .nan, count: query.shape[0] * query.shape[1] * value.shape[2]))
        scaledDotProductAttention(query: query, key: key, value: value, causal: causal, scale: scale, into: output,
                                  path: path)
        return output
    }

    @Test(arguments: cases)
    func everyKernelMatchesReference(_ c: Case) {
        let (query, key, value) = c.randomInputs(seed: 60)
        let expected = referenceAttention(query: query, key: key, value: value, causal: c.causal)
        for path in Self.paths {
            expectClose(Self.run(path, query: query, key: key, value: value, causal: c.causal), expected, "\(path)")
        }
    }

    /// A bf16 KV cache: keys and values stored as bf16 and widened in registers. Against
    /// the reference on the rounded values (exact in double) the f32 tolerance holds, and
    /// each kernel gives bit for bit what it gives on an f32 copy of the same values: the
    /// widening is exact and the products and sums run in the same order.
    @Test(arguments: cases)
    func bf16KeysAndValuesMatchReferenceOnEveryKernel(_ c: Case) {
        let query = randomTensor([c.queries, c.heads, c.headDim], seed: 63, in: -2...2)
        let key = randomTensor([c.keys, c.kvHeads, c.headDim], seed: 64, in: -2...2).converted(to: .bf16)
        let value = randomTensor([c.keys, c.kvHeads, c.valueDim], seed: 65).converted(to: .bf16)
        let (widenedKey, widenedValue) = (key.converted(to: .f32), value.converted(to: .f32))
        let expected = referenceAttention(query: query, key: key, value: value, causal: c.causal)
        for path in Self.paths {
            let result = Self.run(path, query: query, key: key, value: value, causal: c.causal, scale: 0.2)
            expectClose(result, referenceAttention(query: query, key: key, value: value, causal: c.causal, scale: 0.2),
                        "\(path)")
            let onWidened = Self.run(path, query: query, key: widenedKey, value: widenedValue, causal: c.causal, scale: 0.2)
            #expect(result.floats() == onWidened.floats(), "\(path)")
        }
        expectClose(scaledDotProductAttention(query: query, key: key, value: value, causal: c.causal), expected)
    }

    /// The cache rows of a decode step are a prefix view of a larger bf16 buffer at an
    /// offset of 2 bytes past a float boundary: the bf16 kernels need no alignment.
    @Test func bf16KeysAndValuesAtAnOddElementOffset() {
        let (keys, kvHeads, headDim) = (70, 2, 33)
        let buffer = randomTensor([2 * keys * kvHeads * headDim + 1], seed: 66, in: -2...2).converted(to: .bf16)
        let elements = keys * kvHeads * headDim
        let key = Tensor(storage: buffer.storage, byteOffset: 2, dtype: .bf16, shape: [keys, kvHeads, headDim])
        let value = Tensor(storage: buffer.storage, byteOffset: 2 + 2 * elements, dtype: .bf16,
                           shape: [keys, kvHeads, headDim])
        let query = randomTensor([1, 4, headDim], seed: 67, in: -2...2)
        let expected = referenceAttention(query: query, key: key, value: value, causal: true)
        for path in Self.paths {
            expectClose(Self.run(path, query: query, key: key, value: value, causal: true), expected, "\(path)")
        }
    }

    @Test func groupedHeadsEqualMultiHeadWithRepeatedKeysAndValues() {
        let query = randomTensor([3, 4, 8], seed: 53)
        let key = randomTensor([5, 2, 8], seed: 54), value = randomTensor([5, 2, 8], seed: 55)
        // HF repeat_kv: kv head j serves query heads 2j and 2j+1.
        func repeatedHeads(_ t: Tensor) -> Tensor {
            let copies = Tensor(shape: [2] + t.shape, (0..<2).flatMap { _ in t.floats() })  // [2, S, 2, D]
            return permute(copies, [1, 2, 0, 3]).reshaped([t.shape[0], 4, t.shape[2]])
        }
        let (repeatedKey, repeatedValue) = (repeatedHeads(key), repeatedHeads(value))
        let grouped = scaledDotProductAttention(query: query, key: key, value: value, causal: true)
        let repeated = scaledDotProductAttention(query: query, key: repeatedKey, value: repeatedValue, causal: true)
        expectClose(grouped, doubles(repeated), relative: 1e-6, absolute: 1e-7)
    }

    @Test func handComputed() {
        // One key: every query returns its value. Two equal-score keys: the mean of the values.
        let value = Tensor(shape: [1, 1, 2], [Float](arrayLiteral: 3, -4))
        let single = scaledDotProductAttention(query: randomTensor([1, 1, 2], seed: 56),
                                               key: randomTensor([1, 1, 2], seed: 57), value: value, causal: true)
        #expect(single.floats() == [3, -4])
        let query = Tensor(shape: [2, 1, 2], [Float](arrayLiteral: 1, 0, 1, 0))
        let key = Tensor(shape: [2, 1, 2], [Float](arrayLiteral: 0, 1, 0, -1))
        let values = Tensor(shape: [2, 1, 2], [Float](arrayLiteral: 2, 4, 6, 8))
        // Causal: the first query sees only key 0; the second averages both.
        #expect(scaledDotProductAttention(query: query, key: key, value: values, causal: true).floats() == [2, 4, 4, 6])
    }

    /// A batch (a decode step's slots: different cache lengths, one with more queries than
    /// the few-queries limit) gives every sequence exactly what it gets alone, with f32 and
    /// with bf16 caches.
    @Test(arguments: [DType.f32, .bf16], [false, true])
    func aBatchGivesEachSequenceItsOwnResult(cacheType: DType, beyondTheStackBatch: Bool) {
        var shapes = [(queries: 1, keys: 600), (queries: 1, keys: 70), (queries: 2, keys: 130), (queries: 12, keys: 12),
                      (queries: 1, keys: 1)]
        // More sequences than the kernel keeps on its stack (64).
        if beyondTheStackBatch { shapes += (0..<70).map { (queries: 1, keys: 5 + $0) } }
        let (heads, kvHeads, headDim, valueDim) = (8, 4, 40, 24)
        let sequences = shapes.enumerated().map { index, shape in
            let c = Case(queries: shape.queries, keys: shape.keys, heads: heads, kvHeads: kvHeads, headDim: headDim,
                         valueDim: valueDim, causal: true)
            let (query, key, value) = c.randomInputs(seed: 70 + UInt64(index) * 3)
            return AttentionSequence(query: query, key: key.converted(to: cacheType), value: value.converted(to: cacheType),
                                     output: Tensor(shape: [shape.queries, heads, valueDim],
                                                    [Float](repeating: .nan, count: shape.queries * heads * valueDim)))
        }
        scaledDotProductAttention(sequences, causal: true)
        for sequence in sequences {
            let alone = scaledDotProductAttention(query: sequence.query, key: sequence.key, value: sequence.value,
                                                  causal: true)
            #expect(sequence.output.floats() == alone.floats(), "T\(sequence.query.shape[0]) S\(sequence.key.shape[0])")
        }
    }
}
