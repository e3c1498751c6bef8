import Foundation
import JanusTensor

/// diffusers `TimestepEmbedding` as the ShallowUViT encoder builds it (`time_embed`):
/// the sinusoidal projection of `Timesteps(C, flip_sin_to_cos=True,
/// downscale_freq_shift=0)` (`time_proj`, no weights), then `linear_2(silu(linear_1(·)))`
/// up to the LLM's width. The result conditions every ConvNeXt block and takes the slot
/// of the prompt's last token in the LLM input.
public struct TimestepEmbedding: Sendable {
    /// Width of the sinusoidal projection (the encoder's `block_out_channels[0]`).
    public let projectionChannels: Int
    public let linear1: Linear
    public let linear2: Linear

    /// - Parameter weights: scoped at `time_embed`.
    public init(_ weights: Weights, channels: Int, hidden: Int, bias: Bool) throws {
        projectionChannels = channels
        linear1 = try Linear(weights.scoped("linear_1"), in: channels, out: hidden, bias: bias)
        linear2 = try Linear(weights.scoped("linear_2"), in: hidden, out: hidden, bias: bias)
    }

    /// `[timesteps.count, hidden]`.
    public func callAsFunction(_ timesteps: [Float]) -> Tensor {
        let h = linear1(Self.sinusoids(timesteps, channels: projectionChannels))
        silu(h, into: h)
        return linear2(h)
    }

    /// diffusers `get_timestep_embedding` with `flip_sin_to_cos=True`, `downscale_freq_shift=0`,
    /// `max_period=10000`, step by step in f32 as torch computes it:
    /// `f_i = exp(−ln(10000) · i / (C/2))`, row = `[cos(t·f_i)…, sin(t·f_i)…]` (zero-padded
    /// when C is odd). `[timesteps.count, channels]`.
    public static func sinusoids(_ timesteps: [Float], channels: Int) -> Tensor {
        let half = channels / 2
        let logPeriod = Float(-log(10000.0))
        let frequencies = (0..<half).map { expf(logPeriod * Float($0) / Float(half)) }
        var values = [Float](repeating: 0, count: timesteps.count * channels)
        for (row, t) in timesteps.enumerated() {
            for (i, frequency) in frequencies.enumerated() {
                let angle = t * frequency
                values[row * channels + i] = cosf(angle)
                values[row * channels + half + i] = sinf(angle)
            }
        }
        return Tensor(shape: [timesteps.count, channels], values)
    }
}
