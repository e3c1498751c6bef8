import JanusTensor

/// A point in the decode path whose activation can be inspected (tests compare them
/// with the reference's intermediate outputs).
public enum VQStage: Sendable, Hashable, CustomStringConvertible {
    /// The l2-normalised codebook vectors laid out as `[1, codebookDim, h, w]`.
    case quant
    case postQuantConv
    case convIn
    /// After the mid block (res, attn, res).
    case mid
    /// After the res/attn blocks of decoder level `i`, before its upsample.
    case level(Int)

    public var description: String {
        switch self {
        case .quant: "quant"
        case .postQuantConv: "post_quant_conv"
        case .convIn: "conv_in"
        case .mid: "mid"
        case .level(let index): "level\(index)"
        }
    }
}

/// Receives each stage's activation; the tensor is never modified afterwards, so an
/// inspector may keep it.
public typealias VQInspector = (VQStage, Tensor) -> Void

/// One resolution of the decoder (`decoder.conv_blocks.{i}`): `num_res_blocks + 1`
/// residual blocks, each followed by an attention block at the lowest resolution, then
/// a ×2 upsample on every level but the last.
public struct DecoderLevel: Sendable {
    public let res: [ResnetBlock]
    public let attn: [AttnBlock]
    public let upsample: Upsample?

    public init(_ weights: Weights, in inChannels: Int, out outChannels: Int, blocks: Int,
                attention: Bool, upsample hasUpsample: Bool) throws {
        var res: [ResnetBlock] = []
        var attn: [AttnBlock] = []
        var width = inChannels
        for index in 0..<blocks {
            res.append(try ResnetBlock(weights.scoped("res").scoped(index), in: width, out: outChannels))
            width = outChannels
            if attention {
                attn.append(try AttnBlock(weights.scoped("attn").scoped(index), channels: outChannels))
            }
        }
        self.res = res
        self.attn = attn
        upsample = hasUpsample ? try Upsample(weights.scoped("upsample"), channels: outChannels) : nil
    }

    /// The residual and attention blocks, at the input resolution. The input is taken
    /// over (`consuming`) so that, when the caller hands it over with `consume`, it is
    /// freed after the first block instead of staying alive for the whole level (one
    /// full-resolution activation less at the peak: 512 MB at 1024 px); the blocks may
    /// write their results over it (`ResnetBlock(overwriting:)`).
    public func blocks(overwriting x: consuming Tensor) -> Tensor {
        var h = consume x
        for (index, block) in res.enumerated() {
            // Each block's input dies with it (the level's own was handed over).
            h = block(overwriting: h)
            if !attn.isEmpty { h = attn[index](h) }
        }
        return h
    }

    public func callAsFunction(_ x: consuming Tensor) -> Tensor {
        let h = blocks(overwriting: consume x)
        return upsample.map { $0(h) } ?? h
    }
}

/// `Decoder` of VQ-16 (`gen_vision_model.decoder`): `z [N, z_channels, h, w]` →
/// `[N, 3, h·2^(L−1), w·2^(L−1)]`.
///
/// Channel plan: `conv_in` widens to `ch · ch_mult[L−1]`; level `i` (from the lowest
/// resolution up) outputs `ch · ch_mult[L−1−i]`.
public struct VQDecoder: Sendable {
    public let convIn: Conv2d
    /// `mid.0` (res), `mid.1` (attn), `mid.2` (res).
    public let mid: (ResnetBlock, AttnBlock, ResnetBlock)
    public let convBlocks: [DecoderLevel]
    public let normOut: GroupNorm
    public let convOut: Conv2d

    public init(_ weights: Weights, configuration: VQConfiguration) throws {
        let c = configuration
        let levels = c.chMult.count
        let widths = c.chMult.map { c.ch * $0 }
        if let bad = widths.first(where: { $0 % vqNormGroups != 0 }) {
            throw ConfigurationError(file: "gen_vision_config", key: "ch",
                                     reason: "decoder width \(bad) (ch \(c.ch) × ch_mult \(c.chMult)) is not a multiple of the \(vqNormGroups) GroupNorm groups")
        }
        var width = widths[levels - 1]
        convIn = try Conv2d(weights.scoped("conv_in"), in: c.zChannels, out: width, kernel: 3, padding: 1)
        mid = (try ResnetBlock(weights.scoped("mid.0"), in: width, out: width),
               try AttnBlock(weights.scoped("mid.1"), channels: width),
               try ResnetBlock(weights.scoped("mid.2"), in: width, out: width))
        var blocks: [DecoderLevel] = []
        for index in 0..<levels {
            let out = widths[levels - 1 - index]
            blocks.append(try DecoderLevel(weights.scoped("conv_blocks").scoped(index), in: width, out: out,
                                           blocks: c.numResBlocks + 1, attention: index == 0,
                                           upsample: index != levels - 1))
            width = out
        }
        convBlocks = blocks
        normOut = try vqGroupNorm(weights.scoped("norm_out"), channels: width)
        convOut = try Conv2d(weights.scoped("conv_out"), in: width, out: 3, kernel: 3, padding: 1)
    }

    public func callAsFunction(_ z: Tensor, inspect: VQInspector? = nil) -> Tensor {
        // Every activation dies inside the pass (see `TensorMemory`), conv_out's work
        // buffers too: outside it they would cut down the pass's pooled buffers.
        TensorMemory.lendingPooledBuffersWhole { () -> Tensor in
            // The inspector gets copies: the blocks write over their inputs.
            var h = convIn(z)
            inspect?(.convIn, h.copy())
            h = mid.0(overwriting: h)
            h = mid.1(h)
            h = mid.2(overwriting: h)
            inspect?(.mid, h.copy())
            for (index, level) in convBlocks.enumerated() {
                h = level.blocks(overwriting: consume h)
                inspect?(.level(index), h.copy())
                if let upsample = level.upsample { h = upsample(h) }
            }
            return convOut(h, normalizedBy: normOut)
        }
    }
}
