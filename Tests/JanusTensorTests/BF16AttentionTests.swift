import CJanusKernels
@testable import JanusTensor
import Testing

/// Many-query attention under bf16 compute against the double reference on bf16-rounded
/// Q, K and V. The probabilities are rounded to bf16 before PV (2⁻⁹ relative each), so
/// outputs of values in [-1, 1] may move by a few 1e-3.
@Suite struct BF16AttentionTests {
    static let cases: [AttentionTests.Case] = [
        .init(queries: 12, keys: 12, heads: 2, kvHeads: 1, headDim: 20, valueDim: 20, causal: true),
        .init(queries: 9, keys: 30, heads: 4, kvHeads: 2, headDim: 8, valueDim: 8, causal: true),
        .init(queries: 25, keys: 25, heads: 3, kvHeads: 3, headDim: 16, valueDim: 16, causal: false),
        .init(queries: 13, keys: 77, heads: 2, kvHeads: 2, headDim: 5, valueDim: 37, causal: true),  // odd sizes
        .init(queries: 40, keys: 40, heads: 2, kvHeads: 2, headDim: 64, valueDim: 64, causal: false), // SigLIP heads
        // keys packed in several blocks of 32, the last one partial and odd
        .init(queries: 70, keys: 101, heads: 4, kvHeads: 2, headDim: 64, valueDim: 48, causal: true),
    ]

    private static func rounded(_ tensor: Tensor) -> Tensor { tensor.converted(to: .bf16).converted(to: .f32) }

    @Test(arguments: cases, [JANUS_ISA_BEST, JANUS_ISA_PORTABLE].map(\.rawValue))
    func matchesReferenceOnRoundedInputs(_ c: AttentionTests.Case, isa: UInt32) {
        let (query, key, value) = c.randomInputs(seed: 60)
        let expected = referenceAttention(query: Self.rounded(query), key: Self.rounded(key),
                                          value: Self.rounded(value), causal: c.causal, scale: 0.3)
        let output = Tensor(zeros: [c.queries, c.heads, c.valueDim])
        janus_attention_bf16(query.floats(), key.floats(), value.floats(), JANUS_FLOAT_F32,
                             output.mutableFloats(for: "test", expectedShape: output.shape),
                             c.queries, c.heads, c.kvHeads, c.keys, c.headDim, c.valueDim, 0.3,
                             c.causal ? 1 : 0, 2, janus_isa(rawValue: isa))
        expectClose(output, expected, relative: 0, absolute: 5e-3)
    }

    /// A bf16 KV cache is read as stored: the same result, bit for bit, as its values in f32.
    @Test(arguments: cases)
    func bf16KeysAndValuesEqualTheirF32Values(_ c: AttentionTests.Case) {
        let (query, f32Key, f32Value) = c.randomInputs(seed: 66)
        let (key, value) = (f32Key.converted(to: .bf16), f32Value.converted(to: .bf16))
        let fromBF16 = scaledDotProductAttention(query: query, key: key, value: value, causal: c.causal, compute: .bf16)
        let fromF32 = scaledDotProductAttention(query: query, key: key.converted(to: .f32), value: value.converted(to: .f32),
                                                causal: c.causal, compute: .bf16)
        #expect(fromBF16.floats() == fromF32.floats())
    }

    @Test func bf16ComputeRoutesManyQueriesHere() {
        let c = Self.cases[0]
        let (query, key, value) = c.randomInputs(seed: 63)
        let bf16 = scaledDotProductAttention(query: query, key: key, value: value, causal: true, compute: .bf16)
        let f32 = scaledDotProductAttention(query: query, key: key, value: value, causal: true, compute: .f32)
        expectClose(bf16, f32.floats().map(Double.init), relative: 0, absolute: 1e-2)
        #expect(bf16.floats() != f32.floats())
    }

    /// A fused qkv output read in place gives what its split, contiguous q, k and v give.
    @Test(arguments: [ComputeMode.bf16, .f32], [40, 5])
    func packedQKVEqualsTheSplitTensors(compute: ComputeMode, positions: Int) {
        let (heads, headDim) = (4, 16)
        let packed = randomTensor([positions, 3 * heads * headDim], seed: 90)
        let split = permute(packed.reshaped([positions, 3, heads, headDim]), [1, 0, 2, 3])
        let expected = scaledDotProductAttention(query: split[0], key: split[1], value: split[2], causal: false,
                                                 compute: compute)
        let output = Tensor(shape: [positions, heads, headDim],
                            [Float](repeating: .nan, count: positions * heads * headDim))
        scaledDotProductAttention(packedQKV: packed, heads: heads, into: output, compute: compute)
        #expect(output.floats() == expected.floats())
    }
}
