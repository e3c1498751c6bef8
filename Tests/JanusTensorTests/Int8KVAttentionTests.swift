import CJanusKernels
@testable import JanusTensor
import JanusTestSupport
import Testing

/// An int8 KV cache (`--kv-cache int8`): rows quantised per block with f32 scales, and
/// attention that reads them as exactly the f32 values they stand for.
@Suite struct Int8KVAttentionTests {

    @Test func quantisationKeepsEachValueWithinHalfAStep() {
        let x = randomTensor([5, 3, 64], seed: 11, in: -4...4)
        let (values, scales) = quantizedKVRows(x, block: 32)
        let (input, q, s) = (x.floats(), values.int8s(), scales.floats())
        for b in 0..<s.count {
            let block = input[b * 32..<(b + 1) * 32]
            #expect(s[b] == block.map(abs).max()! / 127)
            for i in block.indices {
                #expect(abs(Float(q[i]) * s[b] - input[i]) <= s[b] / 2 * 1.0001, "element \(i)")
            }
            #expect(block.indices.contains { abs(Int(q[$0])) == 127 }, "the largest magnitude maps to ±127")
        }
        let dequantized = dequantizedKVRows(values, scales: scales).floats()
        let expected: [Float] = q.indices.map { Float(q[$0]) * s[$0 / 32] }
        #expect(dequantized == expected)
    }

    @Test func aZeroBlockHasScaleZeroAndTiesRoundToEven() {
        // Block 0 all zero; block 1 max 127 (scale 1) with halves to round.
        let row: [Float] = [Float](repeating: 0, count: 16) + [127, 2.5, -2.5, 3.5, 0.5] + [Float](repeating: 1, count: 11)
        let (values, scales) = quantizedKVRows(Tensor(shape: [1, 32], row), block: 16)
        #expect(scales.floats() == [0, 1])
        #expect(Array(values.int8s()[16..<21]) == [127, 2, -2, 4, 0])
        #expect(values.int8s()[0..<16].allSatisfy { $0 == 0 })
    }

    @Test func aBlockWithNaNOrInfinityReadsBackAsNaN() {
        var row = [Float](repeating: 0.5, count: 48)
        row[3] = .nan
        row[40] = .infinity
        let (values, scales) = quantizedKVRows(Tensor(shape: [1, 48], row), block: 16)
        #expect(scales.floats()[0].isNaN && scales.floats()[2].isNaN && scales.floats()[1] == 0.5 / 127)
        let back = dequantizedKVRows(values, scales: scales).floats()
        #expect(back[0..<16].allSatisfy(\.isNaN) && back[32..<48].allSatisfy(\.isNaN))
        #expect(back[16..<32].allSatisfy { abs($0 - 0.5) <= 1e-7 })
    }

    /// Decode-sized batches over an int8 cache give, bit for bit, what an f32 cache holding
    /// the dequantised values gives; more queries go through the dequantised values too.
    @Test(arguments: [16, 32])
    func int8CachesReadAsTheirDequantisedValues(block: Int) {
        let shapes = [(queries: 1, keys: 600), (queries: 2, keys: 130), (queries: 1, keys: 1), (queries: 12, keys: 40)]
        let (heads, kvHeads, headDim, valueDim) = (8, 4, 64, 32)
        var int8Sequences: [AttentionSequence] = [], f32Sequences: [AttentionSequence] = []
        for (index, shape) in shapes.enumerated() {
            let seed = 200 + UInt64(index) * 3
            let query = randomTensor([shape.queries, heads, headDim], seed: seed)
            let (keys, keyScales) = quantizedKVRows(randomTensor([shape.keys, kvHeads, headDim], seed: seed + 1, in: -3...3),
                                                   block: block)
            let (values, valueScales) = quantizedKVRows(randomTensor([shape.keys, kvHeads, valueDim], seed: seed + 2),
                                                       block: block)
            func output() -> Tensor {
                Tensor(shape: [shape.queries, heads, valueDim], [Float](repeating: .nan, count: shape.queries * heads * valueDim))
            }
            int8Sequences.append(AttentionSequence(query: query, key: keys, value: values, output: output(),
                                                   keyScales: keyScales, valueScales: valueScales))
            f32Sequences.append(AttentionSequence(query: query, key: dequantizedKVRows(keys, scales: keyScales),
                                                  value: dequantizedKVRows(values, scales: valueScales), output: output()))
        }
        scaledDotProductAttention(int8Sequences, causal: true)
        scaledDotProductAttention(f32Sequences, causal: true)
        for (int8, f32) in zip(int8Sequences, f32Sequences) {
            #expect(int8.output.floats() == f32.output.floats(), "T\(int8.query.shape[0]) S\(int8.key.shape[0])")
            #expect(!int8.output.floats().contains { $0.isNaN })
        }
    }

    /// The portable C unit (CPUs without AVX2) agrees with its f32 counterpart the same way.
    @Test func thePortableUnitReadsTheDequantisedValuesToo() {
        let (heads, kvHeads, headDim, keys) = (4, 2, 32, 300)
        let query = randomTensor([1, heads, headDim], seed: 5)
        let (k, ks) = quantizedKVRows(randomTensor([keys, kvHeads, headDim], seed: 6), block: 16)
        let (v, vs) = quantizedKVRows(randomTensor([keys, kvHeads, headDim], seed: 7), block: 16)
        let (kf, vf) = (dequantizedKVRows(k, scales: ks), dequantizedKVRows(v, scales: vs))
        func run(_ type: janus_kv_type, _ k: Tensor, _ v: Tensor, _ ks: Tensor?, _ vs: Tensor?) -> [Float] {
            let out = Tensor(zeros: [1, heads, headDim])
            let sequence = janus_attention_sequence(
                q: query.floats(for: "test", "q"), k: k.baseAddress, v: v.baseAddress,
                k_scales: ks?.floats(for: "test", "ks"), v_scales: vs?.floats(for: "test", "vs"),
                out: out.mutableFloats(for: "test", expectedShape: out.shape), queries: 1, keys: keys)
            withExtendedLifetime([k, v, query, out]) {
                withUnsafePointer(to: sequence) {
                    janus_attention_few_queries_batch($0, 1, type, 16, heads, kvHeads, headDim, headDim, 0.125, 1, 0,
                                                      JANUS_ISA_PORTABLE)
                }
            }
            return out.floats()
        }
        let int8 = run(JANUS_KV_INT8, k, v, ks, vs)
        #expect(int8 == run(JANUS_KV_F32, kf, vf, nil, nil))
    }
}

extension Tensor {
    /// The elements of an i8 tensor.
    func int8s() -> [Int8] {
        precondition(dtype == .i8)
        return Array(UnsafeBufferPointer(start: baseAddress.assumingMemoryBound(to: Int8.self), count: elementCount))
    }
}
