@testable import JanusTensor
import Testing

/// `--weights int8`: per-block quantisation, and the int8 `linear` kernel (AVX-512 and
/// portable) against a double-precision reference over the dequantised weights.
@Suite struct Int8LinearTests {
    /// K = 160 is five blocks of 32; N = 603 gives two threads uneven halves.
    static let (n, k) = (603, 160)

    @Test(arguments: [DType.f32, .bf16, .f16])
    func quantisationStaysWithinHalfAStepOfEachBlock(dtype: DType) {
        let weight = randomWeight([37, Self.k], dtype: dtype, seed: 5, in: -3...3)
        let quantized = Int8BlockWeight(quantizing: weight)
        let original = weight.floats(), restored = quantized.dequantized().floats()
        let values = quantized.values.scalars(as: Int8.self), scales = quantized.scales.floats()
        for block in 0..<scales.count {
            let range = block * Int8BlockWeight.blockSize..<(block + 1) * Int8BlockWeight.blockSize
            // The block's largest magnitude lands on ±127, and no value is off by more than half a step.
            #expect(range.map { abs(Int(values[$0])) }.max() == 127, "block \(block)")
            for index in range {
                #expect(abs(original[index] - restored[index]) <= scales[block] * 0.5001, "element \(index)")
            }
        }
    }

    @Test func zeroBlocksGetZeroScales() {
        let quantized = Int8BlockWeight(quantizing: Tensor(zeros: [2, 64], dtype: .bf16))
        #expect(quantized.scales.floats() == [0, 0, 0, 0])
        #expect(quantized.dequantized().floats().allSatisfy { $0 == 0 })
    }

    @Test func onlyWholeBlocksQuantise() {
        #expect(Int8BlockWeight.canQuantize(Tensor(zeros: [3, 64], dtype: .bf16)))
        #expect(!Int8BlockWeight.canQuantize(Tensor(zeros: [3, 48], dtype: .bf16)))
        #expect(!Int8BlockWeight.canQuantize(Tensor(zeros: [3, 64], dtype: .i32)))
    }

    @Test(arguments: [1, 2, 3, 8, 9, 17, 32])
    func matchesTheDequantisedReferenceOnBothPaths(rows: Int) {
        let x = randomTensor([rows, Self.k], seed: UInt64(rows))
        let quantized = Int8BlockWeight(quantizing: randomWeight([Self.n, Self.k], dtype: .bf16, seed: 40))
        let bias = randomWeight([Self.n], dtype: .f32, seed: 41)
        let dequantized = doubles(quantized.dequantized())
        for withBias in [true, false] {
            let expected = referenceLinear(doubles(x), dequantized, withBias ? doubles(bias) : nil,
                                           m: rows, k: Self.k, n: Self.n)
            for portable in [false, true] {
                let output = Tensor(zeros: [rows, Self.n])
                linear(x, weight: quantized, bias: withBias ? bias : nil, into: output, compute: .f32, portable: portable)
                expectClose(output, expected, relative: 1e-5, absolute: 1e-5, "bias \(withBias), portable \(portable)")
            }
        }
    }

    @Test func bf16ComputeRoundsTheActivations() {
        let x = randomTensor([2, Self.k], seed: 60)
        let quantized = Int8BlockWeight(quantizing: randomWeight([Self.n, Self.k], dtype: .bf16, seed: 61))
        let expected = referenceLinear(doubles(x.converted(to: .bf16)), doubles(quantized.dequantized()), nil,
                                       m: 2, k: Self.k, n: Self.n)
        expectClose(linear(x, weight: quantized, compute: .bf16), expected, relative: 1e-5, absolute: 1e-5)
    }
}
