import JanusTensor

/// `vision_gen_dec_model` (`ShallowUViTDecoder`): the LLM's image rows (as a grid,
/// after `vision_gen_dec_aligner`) and the encoder's skip → the velocity in latent space.
///
///     x = cat([input_norm(x), hs.pop()], channels)
///     x = mid_block(x, t_emb)
///     v = out_convs(x)                             // Unpatchify, one per ×2
public struct ShallowUViTDecoder: Sendable {
    public let configuration: ShallowUViTDecoderConfiguration
    public let inputNorm: RMSNorm
    public let midBlock: UVitBlock?
    public let outConvs: [Unpatchify]

    /// Receives the concatenation and the mid block's output (NHWC).
    public enum Stage: Sendable, Hashable { case concat, midBlock }

    /// - Parameter weights: scoped at `vision_gen_dec_model`.
    public init(_ weights: Weights, configuration c: ShallowUViTDecoderConfiguration) throws {
        configuration = c
        inputNorm = try RMSNorm(weights.scoped("input_norm"), dimensions: c.inChannels, eps: c.normEps)
        midBlock = c.useMidBlock
            ? try UVitBlock(weights.scoped("mid_block"), channels: c.midWidth, blocks: c.layersInMiddle,
                            hidden: c.hiddenSize, eps: c.normEps, bias: c.useBias)
            : nil
        // The first Unpatchify reads the concatenation, the last writes the latent channels.
        outConvs = try (0..<c.upsamples).map { rank in
            try Unpatchify(weights.scoped("out_convs").scoped(rank),
                           in: rank == 0 ? c.midWidth : c.skipWidth,
                           out: rank == c.upsamples - 1 ? c.outChannels : c.skipWidth,
                           eps: c.normEps, bias: c.useBias)
        }
    }

    /// `x` `[N, g, g, in_channels]` and `skips` from the encoder (NHWC), `timeEmbedding`
    /// `[N, hidden]` → velocity `[N, out_channels, g·2^u, g·2^u]` (NCHW, like the latents).
    public func callAsFunction(_ x: Tensor, skips: [Tensor], timeEmbedding: Tensor,
                               inspect: ((Stage, Tensor) -> Void)? = nil) -> Tensor {
        precondition(skips.count == 1, "ShallowUViTDecoder: expected one skip tensor, got \(skips.count)")
        var h = concatenateLastAxis(inputNorm(x), skips[0])
        inspect?(.concat, h)
        if let midBlock {
            h = midBlock(h, condition: timeEmbedding)
            inspect?(.midBlock, h)
        }
        for outConv in outConvs { h = outConv(h) }
        return nhwcToNchw(h)
    }
}

/// `Unpatchify`: RMSNorm over channels, a 1×1 conv to `out · 2 · 2` channels, then
/// `PixelShuffle(2)`: `[N, g, g, C]` → `[N, 2g, 2g, out]` (channels-last).
public struct Unpatchify: Sendable {
    public static let patchSize = 2

    public let norm: RMSNorm
    public let unpatchConv: Conv2d

    public var outChannels: Int { unpatchConv.weight.shape[0] / (Self.patchSize * Self.patchSize) }

    public init(_ weights: Weights, in inChannels: Int, out outChannels: Int, eps: Float, bias: Bool) throws {
        let p = Self.patchSize
        norm = try RMSNorm(weights.scoped("norm"), dimensions: inChannels, eps: eps)
        unpatchConv = try Conv2d(weights.scoped("unpatch_conv"), in: inChannels, out: outChannels * p * p,
                                 kernel: 1, bias: bias)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let (batch, height, width) = (x.shape[0], x.shape[1], x.shape[2])
        let p = Self.patchSize
        // A 1×1 conv on channels-last activations is a Linear over the last axis.
        let weight = unpatchConv.weight.reshaped([unpatchConv.weight.shape[0], unpatchConv.weight.shape[1]])
        let patches = linear(norm(x), weight: weight, bias: unpatchConv.bias)
        // PixelShuffle: channel c·p² + i·p + j of pixel (h, w) → channel c of pixel (h·p + i, w·p + j).
        let split = patches.reshaped([batch, height, width, outChannels, p, p])
        return permute(split, [0, 1, 4, 2, 5, 3]).reshaped([batch, height * p, width * p, outChannels])
    }
}
