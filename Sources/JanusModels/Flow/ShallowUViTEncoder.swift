import JanusTensor

/// `vision_gen_enc_model` (`ShallowUViTEncoder`): a noisy latent and its timestep →
/// the patch grid the LLM reads (after `vision_gen_enc_aligner`), the timestep
/// embedding, and the skip the decoder concatenates back.
///
///     t_emb = time_embed(time_proj(t))
///     x_emb = mid_block(in_conv(z), t_emb)        // hs = [x_emb]
public struct ShallowUViTEncoder: Sendable {
    public let configuration: ShallowUViTEncoderConfiguration
    public let timeEmbed: TimestepEmbedding
    public let inConv: Conv2d
    public let midBlock: UVitBlock?

    /// What the encoder hands on. Grids are channels-last `[N, g, g, C]`: flattened
    /// row-major they are the image tokens (token k = grid row k / g, column k % g).
    public struct Output: Sendable {
        /// `x_emb`.
        public let grid: Tensor
        /// `t_emb` `[N, hidden]`.
        public let timeEmbedding: Tensor
        /// `hs`, consumed last-first by the decoder (JanusFlow has one: `x_emb` itself).
        public let skips: [Tensor]
    }

    /// Receives `in_conv`'s output and each mid-block ConvNeXt output (NHWC).
    public enum Stage: Sendable, Hashable { case inConv, block(Int) }

    /// - Parameter weights: scoped at `vision_gen_enc_model`.
    public init(_ weights: Weights, configuration c: ShallowUViTEncoderConfiguration) throws {
        configuration = c
        timeEmbed = try TimestepEmbedding(weights.scoped("time_embed"), channels: c.blockOutChannels[0],
                                          hidden: c.hiddenSize, bias: c.useBias)
        // `in_conv` always has a bias (nn.Conv2d default), whatever `use_bias` says.
        inConv = try Conv2d(weights.scoped("in_conv"), in: c.inputChannels, out: c.blockOutChannels[0],
                            kernel: c.kernelSize, stride: c.stride, padding: c.padding)
        midBlock = c.useMidBlock
            ? try UVitBlock(weights.scoped("mid_block"), channels: c.width, blocks: c.layersInMiddle,
                            hidden: c.hiddenSize, eps: c.normEps, bias: c.useBias)
            : nil
    }

    /// `latents` `[N, C, L, L]` f32, one timestep per image.
    public func callAsFunction(_ latents: Tensor, timesteps: [Float],
                               inspect: ((Stage, Tensor) -> Void)? = nil) -> Output {
        precondition(latents.rank == 4 && timesteps.count == latents.shape[0],
                     "ShallowUViTEncoder: \(timesteps.count) timesteps for latents \(latents.shape)")
        let timeEmbedding = timeEmbed(timesteps)
        var grid = nchwToNhwc(inConv(latents))
        inspect?(.inConv, grid)
        if let midBlock {
            grid = midBlock(grid, condition: timeEmbedding) { inspect?(.block($0), $1) }
        }
        return Output(grid: grid, timeEmbedding: timeEmbedding, skips: [grid])
    }
}
