import JanusTensor

/// A point in the VAE decode whose activation tests compare with the reference.
public enum VAEStage: Sendable, Hashable, CustomStringConvertible {
    /// `z / scaling_factor`, the input of `AutoencoderKL.decode`.
    case scaledLatents
    case postQuantConv
    case convIn
    case midBlock
    /// After `up_blocks.i` (its upsample included).
    case upBlock(Int)
    /// After `conv_norm_out`, before the final SiLU.
    case convNormOut

    public var description: String {
        switch self {
        case .scaledLatents: "z_scaled"
        case .postQuantConv: "post_quant_conv"
        case .convIn: "conv_in"
        case .midBlock: "mid_block"
        case .upBlock(let index): "up_block\(index)"
        case .convNormOut: "conv_norm_out"
        }
    }
}

/// Receives each stage's activation (never modified afterwards, so it may be kept).
public typealias VAEInspector = (VAEStage, Tensor) -> Void

/// diffusers `Decoder` of `AutoencoderKL` (`decoder.*`): latents `[N, latent, h, w]` →
/// `[N, out, h·2^(L−1), w·2^(L−1)]`:
///
///     conv_in → mid_block → up_blocks (widest first) → conv_norm_out → SiLU → conv_out
public struct VAEDecoder: Sendable {
    public let convIn: Conv2d
    public let midBlock: VAEMidBlock
    public let upBlocks: [UpDecoderBlock2D]
    public let convNormOut: GroupNorm
    public let convOut: Conv2d

    /// - Parameter weights: scoped at `decoder`.
    public init(_ weights: Weights, configuration c: AutoencoderKLConfiguration) throws {
        let widths = Array(c.blockOutChannels.reversed())
        let groups = c.normNumGroups
        convIn = try Conv2d(weights.scoped("conv_in"), in: c.latentChannels, out: widths[0], kernel: 3, padding: 1)
        midBlock = try VAEMidBlock(weights.scoped("mid_block"), channels: widths[0], groups: groups,
                                   attention: c.midBlockAddAttention)
        var blocks: [UpDecoderBlock2D] = []
        for (index, width) in widths.enumerated() {
            blocks.append(try UpDecoderBlock2D(weights.scoped("up_blocks").scoped(index),
                                               in: index == 0 ? widths[0] : widths[index - 1], out: width,
                                               layers: c.layersPerBlock + 1, groups: groups,
                                               upsample: index != widths.count - 1))
        }
        upBlocks = blocks
        convNormOut = try GroupNorm(weights.scoped("conv_norm_out"), groups: groups, channels: widths[widths.count - 1],
                                    eps: vaeNormEps)
        convOut = try Conv2d(weights.scoped("conv_out"), in: widths[widths.count - 1], out: c.outChannels,
                             kernel: 3, padding: 1)
    }

    public func callAsFunction(_ z: Tensor, inspect: VAEInspector? = nil) -> Tensor {
        // Every activation dies inside the pass (see `TensorMemory`), conv_out's work
        // buffers too: outside it they would cut down the pass's pooled buffers.
        TensorMemory.lendingPooledBuffersWhole { () -> Tensor in
            var h = convIn(z)
            inspect?(.convIn, h)
            h = midBlock(h)
            inspect?(.midBlock, h)
            for (index, block) in upBlocks.enumerated() {
                h = block(overwriting: consume h)
                inspect?(.upBlock(index), h.copy())  // the next block writes over its input
            }
            h = convNormOut(h)
            inspect?(.convNormOut, h.copy())   // the SiLU below runs in place
            silu(h, into: h)
            return convOut(h)
        }
    }
}
