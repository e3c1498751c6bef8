import JanusTensor

// The ConvNeXt-V2 style blocks of JanusFlow's ShallowUViT (reference: janus/janusflow/
// models/uvit.py). Activations are channels-last `[N, H, W, C]` f32 inside the UViT:
// the reference permutes to NHWC around every RMSNorm and channel-wise Linear, so only
// the depthwise conv ever sees NCHW there, and it has a channels-last kernel here.

/// `nn.Conv2d(C, C, k, padding=p, groups=C)` on channels-last activations.
public struct DepthwiseConv2d: Sendable {
    public let weight: Tensor
    public let bias: Tensor?
    public let padding: Int

    public init(_ weights: Weights, channels: Int, kernel: Int, padding: Int, bias hasBias: Bool) throws {
        weight = try weights("weight", shape: [channels, 1, kernel, kernel])
        bias = hasBias ? try weights("bias", shape: [channels]) : nil
        self.padding = padding
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        depthwiseConv2dChannelsLast(x, weight: weight, bias: bias, padding: padding)
    }
}

/// ConvNeXt-V2 `GlobalResponseNorm` (`channelwise_norm`), parameters stored `[1, 1, 1, C]`.
public struct GlobalResponseNorm: Sendable {
    public let weight: Tensor
    public let bias: Tensor

    public init(_ weights: Weights, channels: Int) throws {
        weight = try weights("weight", shape: [1, 1, 1, channels])
        bias = try weights("bias", shape: [1, 1, 1, channels])
    }

    /// In place on `x` `[N, H, W, C]`.
    public func apply(to x: Tensor) { globalResponseNorm(x, weight: weight, bias: bias, into: x) }
}

/// `ConvNextBlock`: a residual ConvNeXt-V2 block followed by FiLM conditioning on the
/// timestep embedding,
///
///     h = linear_2(GRN(gelu(linear_1(rmsnorm(depthwise7x7(x)))))) + x
///     scale, shift = cond_embeds_mapper(silu(t_emb)).chunk(2)
///     y = shift + h · (1 + scale)
public struct ConvNextBlock: Sendable {
    public static let kernelSize = 7
    /// Width of the inverted bottleneck relative to the channels (`res_ffn_factor`).
    public static let expansion = 4

    public let depthwise: DepthwiseConv2d
    public let norm: RMSNorm
    public let channelwiseLinear1: Linear
    public let channelwiseNorm: GlobalResponseNorm
    public let channelwiseLinear2: Linear
    public let condEmbedsMapper: Linear

    public var channels: Int { channelwiseLinear2.outFeatures }

    public init(_ weights: Weights, channels: Int, hidden: Int, eps: Float, bias: Bool) throws {
        let expanded = channels * Self.expansion
        depthwise = try DepthwiseConv2d(weights.scoped("depthwise"), channels: channels, kernel: Self.kernelSize,
                                        padding: Self.kernelSize / 2, bias: bias)
        norm = try RMSNorm(weights.scoped("norm"), dimensions: channels, eps: eps)
        channelwiseLinear1 = try Linear(weights.scoped("channelwise_linear_1"), in: channels, out: expanded, bias: bias)
        channelwiseNorm = try GlobalResponseNorm(weights.scoped("channelwise_norm"), channels: expanded)
        channelwiseLinear2 = try Linear(weights.scoped("channelwise_linear_2"), in: expanded, out: channels, bias: bias)
        condEmbedsMapper = try Linear(weights.scoped("cond_embeds_mapper"), in: hidden, out: 2 * channels, bias: bias)
    }

    /// `x` `[N, H, W, C]`, `condition` `[N, hidden]` → `[N, H, W, C]`.
    public func callAsFunction(_ x: Tensor, condition: Tensor) -> Tensor {
        var h = depthwise(x)
        norm(h, into: h)
        h = channelwiseLinear1(h)
        gelu(h, into: h)
        channelwiseNorm.apply(to: h)
        h = channelwiseLinear2(h)
        add(h, x, into: h)
        // FiLM per image: the first C outputs scale, the last C shift (`chunk(2, dim=1)`).
        let film = condEmbedsMapper(silu(condition))
        let c = channels
        for image in 0..<x.shape[0] {
            let parts = film[image].reshaped([2, c])
            let gain = Tensor(shape: [c], parts[0].floats().map { 1 + $0 })
            multiply(h[image], gain, into: h[image])
            add(h[image], parts[1], into: h[image])
        }
        return h
    }
}

/// `UVitBlock` without down/upsampling (the only form the ShallowUViT builds):
/// `res_blocks` applied in turn, each conditioned on the same embedding.
public struct UVitBlock: Sendable {
    public let resBlocks: [ConvNextBlock]

    public init(_ weights: Weights, channels: Int, blocks: Int, hidden: Int, eps: Float, bias: Bool) throws {
        resBlocks = try (0..<blocks).map {
            try ConvNextBlock(weights.scoped("res_blocks").scoped($0), channels: channels, hidden: hidden, eps: eps, bias: bias)
        }
    }

    /// `observe` sees each block's output (tests compare them with the reference).
    public func callAsFunction(_ x: Tensor, condition: Tensor, observe: ((Int, Tensor) -> Void)? = nil) -> Tensor {
        var h = x
        for (index, block) in resBlocks.enumerated() {
            h = block(h, condition: condition)
            observe?(index, h)
        }
        return h
    }
}
