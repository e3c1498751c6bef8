import Foundation
import JanusModels
import JanusTensor
import JanusTestSupport
import Testing

/// The VQ attention block against a direct evaluation of the reference formula, on
/// more positions than the golden grids (and a batch of two), with bf16 weights.
@Suite struct VQBlocksTests {
    @Test func attentionMatchesTheReferenceFormula() throws {
        let (batch, channels, height, width) = (2, 32, 5, 7)
        let positions = height * width
        var generator = SeededGenerator(seed: 11)
        func random(_ shape: [Int], scale: Float = 1) -> Tensor {
            Tensor(shape: shape, (0..<shape.reduce(1, *)).map { _ in Float.random(in: -scale...scale, using: &generator) })
        }
        var tensors: [String: Tensor] = [:]
        for name in ["q", "k", "v", "proj_out"] {
            tensors["\(name).weight"] = random([channels, channels, 1, 1], scale: 0.3).converted(to: .bf16)
            tensors["\(name).bias"] = random([channels], scale: 0.1).converted(to: .bf16)
        }
        tensors["norm.weight"] = random([channels]).converted(to: .bf16)
        tensors["norm.bias"] = random([channels], scale: 0.2).converted(to: .bf16)
        let block = try AttnBlock(Weights(InMemoryWeights(tensors)), channels: channels)
        let x = random([batch, channels, height, width], scale: 2)

        let original = x.floats()
        let actual = block(x)
        #expect(x.floats() == original, "the block must not write into its input")

        // Reference: GroupNorm(32) → 1×1 convs → softmax(qᵀk/√C) → v·Pᵀ → proj_out, + x.
        let normed = groupNorm(x, groups: 32, weight: tensors["norm.weight"]!, bias: tensors["norm.bias"]!, eps: 1e-6)
            .floats().map(Double.init)
        func pointwise(_ input: [Double], _ name: String) -> [Double] {
            let w = tensors["\(name).weight"]!.floats().map(Double.init), b = tensors["\(name).bias"]!.floats()
            var out = [Double](repeating: 0, count: input.count)
            for n in 0..<batch { for o in 0..<channels { for p in 0..<positions {
                var sum = Double(b[o])
                for c in 0..<channels { sum += w[o * channels + c] * input[(n * channels + c) * positions + p] }
                out[(n * channels + o) * positions + p] = sum
            } } }
            return out
        }
        let (q, k, v) = (pointwise(normed, "q"), pointwise(normed, "k"), pointwise(normed, "v"))
        var attended = [Double](repeating: 0, count: q.count)
        for n in 0..<batch {
            for i in 0..<positions {
                var scores = (0..<positions).map { j in
                    (0..<channels).reduce(0.0) { $0 + q[(n * channels + $1) * positions + i] * k[(n * channels + $1) * positions + j] }
                        / Double(channels).squareRoot()
                }
                let top = scores.max()!
                scores = scores.map { exp($0 - top) }
                let total = scores.reduce(0, +)
                for c in 0..<channels {
                    attended[(n * channels + c) * positions + i] =
                        (0..<positions).reduce(0.0) { $0 + v[(n * channels + c) * positions + $1] * scores[$1] } / total
                }
            }
        }
        let projected = pointwise(attended, "proj_out")
        let expected = zip(projected, x.floats()).map { Float($0 + Double($1)) }
        expectClose(actual: actual, expected: Tensor(shape: x.shape, expected), atol: 1e-4, rtol: 1e-4)
    }

    /// `ResnetBlock(overwriting:)`: under bf16 convolutions the fused path (norms staged,
    /// conv2 added into the input) gives the unfused block's values bit for bit, in the
    /// input's own memory; under f32 it is the plain block.
    @Test func overwritingBlockMatchesThePlainOne() throws {
        let (channels, shape) = (32, [2, 32, 6, 26])
        var generator = SeededGenerator(seed: 12)
        func random(_ shape: [Int], scale: Float = 1) -> Tensor {
            Tensor(shape: shape, (0..<shape.reduce(1, *)).map { _ in Float.random(in: -scale...scale, using: &generator) })
        }
        var tensors: [String: Tensor] = [:]
        for name in ["conv1", "conv2"] {
            tensors["\(name).weight"] = random([channels, channels, 3, 3], scale: 0.1).converted(to: .bf16)
            tensors["\(name).bias"] = random([channels], scale: 0.1).converted(to: .bf16)
        }
        for name in ["norm1", "norm2"] {
            tensors["\(name).weight"] = random([channels]).converted(to: .bf16)
            tensors["\(name).bias"] = random([channels], scale: 0.2).converted(to: .bf16)
        }
        let block = try ResnetBlock(Weights(InMemoryWeights(tensors)), in: channels, out: channels)
        let x = random(shape, scale: 2)

        // The unfused block with its convolutions in bf16.
        var h = groupNorm(x, groups: 32, weight: block.norm1.weight, bias: block.norm1.bias, eps: 1e-6, thenSiLU: true)
        h = conv2d(h, weight: block.conv1.weight, bias: block.conv1.bias, padding: 1, compute: .bf16)
        h = groupNorm(h, groups: 32, weight: block.norm2.weight, bias: block.norm2.bias, eps: 1e-6, thenSiLU: true)
        h = conv2d(h, weight: block.conv2.weight, bias: block.conv2.bias, padding: 1, compute: .bf16)
        let expected = add(h, x).floats()

        let input = x.copy()
        let fused = block(overwriting: input, compute: .bf16)
        #expect(fused.floats() == expected)
        #expect(fused.baseAddress == input.baseAddress, "the result takes the input's memory")

        let plainInput = x.copy()
        #expect(block(overwriting: plainInput, compute: .f32).floats() == block(x).floats())
    }
}
