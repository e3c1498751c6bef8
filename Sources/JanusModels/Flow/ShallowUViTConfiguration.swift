/// The constructor arguments of JanusFlow's ShallowUViT halves (`vision_gen_enc_config`
/// and `vision_gen_dec_config` → `params`). Published checkpoints spell every one out;
/// an absent key takes the default of the reference constructor (`uvit.py`), which is
/// what `from_pretrained` would build.

/// `ShallowUViTEncoder`: latents → patch grid of width `block_out_channels`, plus the
/// timestep embedding of width `hidden_size`.
public struct ShallowUViTEncoderConfiguration: Decodable, Sendable, Equatable {
    public var inputChannels: Int
    public var kernelSize: Int
    public var stride: Int
    public var padding: Int
    public var blockOutChannels: [Int]
    public var layersInMiddle: Int
    public var hiddenSize: Int
    public var useBias: Bool
    public var normEps: Float
    public var useMidBlock: Bool

    /// Width of the patch grid (`block_out_channels[-1]`; the reference builds `in_conv`
    /// with `[0]` and the mid block with `[-1]`, which must therefore agree).
    public var width: Int { blockOutChannels[blockOutChannels.count - 1] }

    /// Grid side for a latent side (`in_conv` output size).
    public func gridSize(latentSize: Int) -> Int { (latentSize + 2 * padding - kernelSize) / stride + 1 }

    enum CodingKeys: String, CodingKey {
        case inputChannels = "input_channels", kernelSize = "kernel_size", stride, padding
        case blockOutChannels = "block_out_channels", layersInMiddle = "layers_in_middle"
        case hiddenSize = "hidden_size", useBias = "use_bias", normEps = "norm_eps", useMidBlock = "use_mid_block"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inputChannels = try c.decodeIfPresent(Int.self, forKey: .inputChannels) ?? 3
        stride = try c.decodeIfPresent(Int.self, forKey: .stride) ?? 4
        kernelSize = try c.decodeIfPresent(Int.self, forKey: .kernelSize) ?? 7
        // `padding=None` means `ceil(kernel_size - stride)` in the reference.
        if c.contains(.padding), try !c.decodeNil(forKey: .padding) {
            padding = try c.decode(Int.self, forKey: .padding)
        } else {
            padding = kernelSize - stride
        }
        blockOutChannels = try c.decodeIfPresent([Int].self, forKey: .blockOutChannels) ?? [768]
        layersInMiddle = try c.decodeIfPresent(Int.self, forKey: .layersInMiddle) ?? 2
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 2048
        useBias = try c.decodeIfPresent(Bool.self, forKey: .useBias) ?? true
        normEps = try c.decodeIfPresent(Float.self, forKey: .normEps) ?? 1e-6
        useMidBlock = try c.decodeIfPresent(Bool.self, forKey: .useMidBlock) ?? true
        try requirePositive(c, [(.inputChannels, inputChannels), (.kernelSize, kernelSize), (.stride, stride),
                                (.hiddenSize, hiddenSize)])
        guard padding >= 0 else { throw invalid(c, CodingKeys.padding, "must be ≥ 0, got \(padding)") }
        guard layersInMiddle >= 0 else { throw invalid(c, CodingKeys.layersInMiddle, "must be ≥ 0") }
        try requireUniformWidths(blockOutChannels, c, CodingKeys.blockOutChannels)
        guard normEps > 0 else { throw invalid(c, CodingKeys.normEps, "must be positive") }
    }
}

/// `ShallowUViTDecoder`: the LLM's image rows (`in_channels` wide, after
/// `vision_gen_dec_aligner`) and the encoder's skip → a velocity in latent space.
public struct ShallowUViTDecoderConfiguration: Decodable, Sendable, Equatable {
    public var inChannels: Int
    public var outChannels: Int
    public var blockOutChannels: [Int]
    public var upsamples: Int
    public var layersInMiddle: Int
    public var hiddenSize: Int
    public var useBias: Bool
    public var normEps: Float
    public var useMidBlock: Bool

    /// Width of the encoder skip concatenated to the input (`block_out_channels[-1]`).
    public var skipWidth: Int { blockOutChannels[blockOutChannels.count - 1] }
    /// Channels of the mid block: the input and the skip side by side.
    public var midWidth: Int { inChannels + skipWidth }

    enum CodingKeys: String, CodingKey {
        case inChannels = "in_channels", outChannels = "out_channels", blockOutChannels = "block_out_channels"
        case upsamples, layersInMiddle = "layers_in_middle", hiddenSize = "hidden_size", useBias = "use_bias"
        case normEps = "norm_eps", useMidBlock = "use_mid_block"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        inChannels = try c.decodeIfPresent(Int.self, forKey: .inChannels) ?? 768
        outChannels = try c.decodeIfPresent(Int.self, forKey: .outChannels) ?? 3
        blockOutChannels = try c.decodeIfPresent([Int].self, forKey: .blockOutChannels) ?? [768]
        upsamples = try c.decodeIfPresent(Int.self, forKey: .upsamples) ?? 2
        layersInMiddle = try c.decodeIfPresent(Int.self, forKey: .layersInMiddle) ?? 2
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 2048
        useBias = try c.decodeIfPresent(Bool.self, forKey: .useBias) ?? true
        normEps = try c.decodeIfPresent(Float.self, forKey: .normEps) ?? 1e-6
        useMidBlock = try c.decodeIfPresent(Bool.self, forKey: .useMidBlock) ?? true
        try requirePositive(c, [(.inChannels, inChannels), (.outChannels, outChannels), (.upsamples, upsamples),
                                (.hiddenSize, hiddenSize)])
        guard layersInMiddle >= 0 else { throw invalid(c, CodingKeys.layersInMiddle, "must be ≥ 0") }
        try requireUniformWidths(blockOutChannels, c, CodingKeys.blockOutChannels)
        guard normEps > 0 else { throw invalid(c, CodingKeys.normEps, "must be positive") }
    }
}

/// The ShallowUViT uses `block_out_channels[0]` in some places and `[-1]` in others,
/// so any list whose entries differ cannot run.
private func requireUniformWidths<Key: CodingKey>(_ widths: [Int], _ c: KeyedDecodingContainer<Key>, _ key: Key) throws {
    guard let first = widths.first, first > 0, widths.allSatisfy({ $0 == first }) else {
        throw invalid(c, key, "must be a non-empty list of one repeated positive width, got \(widths)")
    }
}
