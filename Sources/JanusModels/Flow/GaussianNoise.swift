import Foundation
import JanusTensor

extension RandomSource {
    /// Two independent standard normal samples by the Box–Muller transform:
    /// `r = √(−2 ln u₁)`, `(r cos 2πu₂, r sin 2πu₂)` with `u₁ ∈ (0, 1]` and `u₂ ∈ [0, 1)`
    /// drawn from this stream (53-bit uniforms, computed in double).
    public mutating func nextGaussianPair() -> (Double, Double) {
        let u1 = 1 - nextUnit()
        let u2 = nextUnit()
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        return (radius * cos(angle), radius * sin(angle))
    }
}

/// The initial noise of rectified-flow sampling. The reference draws `torch.randn`; we
/// draw from our own seeded stream instead (`RandomSource`: xoshiro256** seeded by
/// SplitMix64, Box–Muller pairs filled in row-major order, rounded to f32), so a seed
/// gives the same latents on every machine and in every process of a cluster. The
/// numbers differ from torch's for the same seed; golden tests feed the reference's
/// noise in directly.
public enum GaussianNoise {
    /// `shape` filled with independent N(0, 1) samples from `seed`.
    public static func tensor(shape: [Int], seed: UInt64) -> Tensor {
        let count = shape.reduce(1, *)
        var random = RandomSource(seed: seed)
        var values = [Float]()
        values.reserveCapacity(count + 1)
        while values.count < count {
            let (first, second) = random.nextGaussianPair()
            values.append(Float(first))
            values.append(Float(second))
        }
        return Tensor(shape: shape, Array(values.prefix(count)))
    }
}
