import JanusTensor

/// Every GroupNorm of the diffusers VAE decoder (`resnet_eps` and `conv_norm_out`).
let vaeNormEps: Float = 1e-6

/// diffusers `UNetMidBlock2D` as the VAE decoder builds it (no time embedding):
/// `resnets.0`, then `attentions.0` and `resnets.1` in turn.
public struct VAEMidBlock: Sendable {
    public let resnets: [ResnetBlock]
    /// Empty when the config sets `mid_block_add_attention: false`.
    public let attentions: [VAEAttention]

    public init(_ weights: Weights, channels: Int, groups: Int, attention: Bool) throws {
        resnets = try (0..<2).map {
            try ResnetBlock(weights.scoped("resnets").scoped($0), in: channels, out: channels, groups: groups,
                            eps: vaeNormEps, shortcut: "conv_shortcut")
        }
        attentions = attention
            ? [try VAEAttention(weights.scoped("attentions.0"), channels: channels, groups: groups, eps: vaeNormEps)]
            : []
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var h = resnets[0](x)
        if let attention = attentions.first { h = attention(h) }
        return resnets[1](h)
    }
}

/// diffusers `UpDecoderBlock2D`: `layers_per_block + 1` resnets (the first one changes
/// the width), then a nearest ×2 upsample with a 3×3 conv unless it is the last block.
public struct UpDecoderBlock2D: Sendable {
    public let resnets: [ResnetBlock]
    public let upsampler: Upsample?

    public init(_ weights: Weights, in inChannels: Int, out outChannels: Int, layers: Int, groups: Int,
                upsample: Bool) throws {
        resnets = try (0..<layers).map { index in
            try ResnetBlock(weights.scoped("resnets").scoped(index), in: index == 0 ? inChannels : outChannels,
                            out: outChannels, groups: groups, eps: vaeNormEps, shortcut: "conv_shortcut")
        }
        upsampler = upsample ? try Upsample(weights.scoped("upsamplers.0"), channels: outChannels) : nil
    }

    /// The block over an `x` handed over for good: its resnets may write over their inputs
    /// (`ResnetBlock(overwriting:)`).
    public func callAsFunction(overwriting x: consuming Tensor) -> Tensor {
        var h = consume x
        for resnet in resnets { h = resnet(overwriting: h) }
        return upsampler.map { $0(h) } ?? h
    }
}
