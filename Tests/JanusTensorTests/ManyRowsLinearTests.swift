import CJanusKernels
@testable import JanusTensor
import Testing

/// `janus_linear_many_rows_bf16` (bf16 compute, bf16 weights, many rows) through
/// `linear`'s automatic path, against the double reference on bf16-rounded activations.
@Suite struct ManyRowsLinearTests {
    /// N = 603 is no multiple of the 8-row tile; K = 130 is even (the kernel's condition).
    static let (n, k) = (603, 130)

    @Test(arguments: [32, 64, 250, 600], [true, false])
    func matchesTheRoundedReference(rows: Int, withBias: Bool) throws {
        try #require(janus_linear_many_rows_bf16_available(Self.k) != 0, "needs AVX512_BF16")
        let x = randomTensor([rows, Self.k], seed: 130)
        let weight = randomWeight([Self.n, Self.k], dtype: .bf16, placement: .unalignedMapping, seed: 131)
        let bias = randomWeight([Self.n], dtype: .f32, seed: 132)
        #expect(LinearPath.broadcastsWeights(rows: rows, k: Self.k, weight: weight, mode: .bf16))
        let output = Tensor(shape: [rows, Self.n], [Float](repeating: .nan, count: rows * Self.n))
        linear(x, weight: weight, bias: withBias ? bias : nil, into: output, compute: .bf16, path: .automatic)
        let expected = referenceLinear(doubles(x.converted(to: .bf16)), doubles(weight),
                                       withBias ? doubles(bias) : nil, m: rows, k: Self.k, n: Self.n)
        expectClose(output, expected, relative: 1e-5, absolute: 2e-5)
    }

    @Test func onlyWellFilledPanelsOfBf16WeightsTakeThisPath() {
        let bf16 = randomWeight([Self.n, Self.k], dtype: .bf16, seed: 133)
        let f32 = randomWeight([Self.n, Self.k], dtype: .f32, seed: 134)
        #expect(!LinearPath.broadcastsWeights(rows: 2, k: Self.k, weight: bf16, mode: .bf16))
        #expect(!LinearPath.broadcastsWeights(rows: 100, k: Self.k, weight: bf16, mode: .bf16))  // pads to 128
        #expect(!LinearPath.broadcastsWeights(rows: 600, k: Self.k, weight: bf16, mode: .f32))
        #expect(!LinearPath.broadcastsWeights(rows: 600, k: Self.k, weight: f32, mode: .bf16))
        #expect(!LinearPath.broadcastsWeights(rows: 600, k: Self.k + 1, weight: bf16, mode: .bf16))
    }
}
