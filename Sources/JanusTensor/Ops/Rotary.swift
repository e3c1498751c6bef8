import CJanusKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Rotary position embedding tables for one head size, HF Llama convention
/// (`rotate_half`: the first half of each head vector pairs with the second half).
///
/// The angles are computed like HF's `LlamaRotaryEmbedding` in f32:
/// `inv_freq[i] = 1 / theta^(2i / D)`, `angle = position * inv_freq[i]`, then cos/sin.
public struct RotaryEmbedding: Sendable {
    public let headDimension: Int
    public let maxPositions: Int
    public let theta: Float
    /// `[maxPositions, headDimension / 2]`; HF's cos/sin tables repeat this twice per row.
    let cosines: [Float]
    let sines: [Float]

    public init(headDimension: Int, maxPositions: Int, theta: Float = 10_000) {
        precondition(headDimension > 0 && headDimension % 2 == 0,
                     "RotaryEmbedding: head dimension \(headDimension) must be even and positive")
        precondition(maxPositions >= 0, "RotaryEmbedding: negative maxPositions \(maxPositions)")
        self.headDimension = headDimension
        self.maxPositions = maxPositions
        self.theta = theta
        let half = headDimension / 2
        let inverseFrequencies = (0..<half).map { i in
            1 / powf(theta, Float(2 * i) / Float(headDimension))
        }
        var cosines = [Float](repeating: 0, count: maxPositions * half)
        var sines = cosines
        for position in 0..<maxPositions {
            for (i, frequency) in inverseFrequencies.enumerated() {
                let angle = Float(position) * frequency
                cosines[position * half + i] = cosf(angle)
                sines[position * half + i] = sinf(angle)
            }
        }
        self.cosines = cosines
        self.sines = sines
    }

    /// Rotates `x` `[T, H, headDimension]` in place; `positions[t]` is token t's position.
    public func apply(to x: Tensor, positions: [Int]) {
        apply(x, positions: positions, into: x)
    }

    /// The rotated copy of `x`.
    public func applied(to x: Tensor, positions: [Int]) -> Tensor {
        newOutput(x.shape) { apply(x, positions: positions, into: $0) }
    }

    /// Writes rotated `x` into `output`; `output` may be `x` itself (in place).
    public func apply(_ x: Tensor, positions: [Int], into output: Tensor) {
        let op = "RotaryEmbedding.apply"
        precondition(x.rank == 3 && x.shape[2] == headDimension,
                     "\(op): expected [T, H, \(headDimension)], got \(x.shape)")
        precondition(positions.count == x.shape[0],
                     "\(op): \(positions.count) positions for \(x.shape[0]) tokens in \(x.shape)")
        if let bad = positions.first(where: { $0 < 0 || $0 >= maxPositions }) {
            preconditionFailure("\(op): position \(bad) outside the table of \(maxPositions) positions")
        }
        let outputs = output.mutableFloats(for: op, expectedShape: x.shape)
        requireSameOrDisjoint(output, x, for: op)
        let input = x.floats(for: op, "input")
        let tablePositions = positions.map(Int64.init)
        cosines.withUnsafeBufferPointer { cosines in
            sines.withUnsafeBufferPointer { sines in
                janus_rotary(input, outputs, x.shape[0], x.shape[1], headDimension,
                             cosines.baseAddress, sines.baseAddress, tablePositions)
            }
        }
    }
}
