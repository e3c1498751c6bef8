/// The visual components of a `multi_modality` config.json. Each appears in the file as
/// `{"cls": …, "model_type": …, "params": {…}}`; only `params` carries sizes. Real
/// checkpoints omit the size keys that the tiny test checkpoints add, so absent keys
/// take the real SigLIP-L/16-384 and VQ-16 values.

/// SigLIP vision tower (`vision_config`, cls `CLIPVisionTower`).
public struct VisionConfiguration: Decodable, Sendable, Equatable {
    public var modelName: String
    public var imageSize: Int
    public var selectLayer: Int
    public var selectFeature: String
    public var width: Int
    public var layers: Int
    public var heads: Int
    public var mlpRatio: Double
    public var patchSize: Int

    public var gridSize: Int { imageSize / patchSize }
    /// Image embeddings one picture contributes to a prompt.
    public var numImageTokens: Int { gridSize * gridSize }
    public var mlpDim: Int { Int(Double(width) * mlpRatio) }

    enum CodingKeys: String, CodingKey {
        case modelName = "model_name", imageSize = "image_size", selectLayer = "select_layer"
        case selectFeature = "select_feature", width, layers, heads
        case mlpRatio = "mlp_ratio", patchSize = "patch_size"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelName = try c.decodeIfPresent(String.self, forKey: .modelName) ?? "siglip_large_patch16_384"
        imageSize = try c.decodeIfPresent(Int.self, forKey: .imageSize) ?? 384
        selectLayer = try c.decodeIfPresent(Int.self, forKey: .selectLayer) ?? -1
        selectFeature = try c.decodeIfPresent(String.self, forKey: .selectFeature) ?? "patch"
        width = try c.decodeIfPresent(Int.self, forKey: .width) ?? 1024
        layers = try c.decodeIfPresent(Int.self, forKey: .layers) ?? 24
        heads = try c.decodeIfPresent(Int.self, forKey: .heads) ?? 16
        mlpRatio = try c.decodeIfPresent(Double.self, forKey: .mlpRatio) ?? 4
        patchSize = try c.decodeIfPresent(Int.self, forKey: .patchSize) ?? 16
        try requirePositive(c, [(.imageSize, imageSize), (.width, width), (.layers, layers),
                                (.heads, heads), (.patchSize, patchSize)])
        guard imageSize % patchSize == 0 else {
            throw invalid(c, CodingKeys.imageSize, "\(imageSize) is not a multiple of patch_size \(patchSize)")
        }
        guard width % heads == 0 else {
            throw invalid(c, CodingKeys.heads, "width \(width) is not divisible by \(heads) heads")
        }
        // The reference keeps `min(layers, s)` blocks for s > 0 and `layers + s + 1` for s ≤ 0.
        guard selectLayer > 0 || -selectLayer <= layers else {
            throw invalid(c, CodingKeys.selectLayer, "\(selectLayer) is outside the \(layers) layers")
        }
        guard mlpRatio > 0 else { throw invalid(c, CodingKeys.mlpRatio, "must be positive") }
        guard ["same", "patch", "cls_patch"].contains(selectFeature) else {
            throw invalid(c, CodingKeys.selectFeature, "unknown feature selection \"\(selectFeature)\"")
        }
    }
}

/// `MlpProjector` (`aligner_config`, `gen_aligner_config`).
public struct ProjectorConfiguration: Decodable, Sendable, Equatable {
    public enum Kind: String, Sendable { case mlpGELU = "mlp_gelu", linear, identity }
    public var kind: Kind
    public var depth: Int
    public var inputDim: Int
    public var nEmbed: Int

    enum CodingKeys: String, CodingKey {
        case kind = "projector_type", depth, inputDim = "input_dim", nEmbed = "n_embed"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decodeIfPresent(String.self, forKey: .kind) ?? "mlp_gelu"
        guard let kind = Kind(rawValue: name) else {
            throw invalid(c, CodingKeys.kind, "unsupported projector type \"\(name)\"")
        }
        self.kind = kind
        depth = try c.decodeIfPresent(Int.self, forKey: .depth) ?? 2
        inputDim = try c.decode(Int.self, forKey: .inputDim)
        nEmbed = try c.decode(Int.self, forKey: .nEmbed)
        try requirePositive(c, [(.depth, depth), (.inputDim, inputDim), (.nEmbed, nEmbed)])
    }
}

/// `vision_head` (`gen_head_config`): Linear → GELU → Linear to the image codebook.
public struct GenerationHeadConfiguration: Decodable, Sendable, Equatable {
    public var nEmbed: Int
    public var imageTokenEmbed: Int
    public var imageTokenSize: Int

    enum CodingKeys: String, CodingKey {
        case nEmbed = "n_embed", imageTokenEmbed = "image_token_embed", imageTokenSize = "image_token_size"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        nEmbed = try c.decode(Int.self, forKey: .nEmbed)
        imageTokenEmbed = try c.decode(Int.self, forKey: .imageTokenEmbed)
        imageTokenSize = try c.decode(Int.self, forKey: .imageTokenSize)
        try requirePositive(c, [(.nEmbed, nEmbed), (.imageTokenEmbed, imageTokenEmbed),
                                (.imageTokenSize, imageTokenSize)])
    }
}

/// The VQ-16 tokenizer whose decoder turns image-token grids into pixels (`gen_vision_config`).
public struct VQConfiguration: Decodable, Sendable, Equatable {
    /// Codebook entries (= image-token vocabulary).
    public var codebookSize: Int
    /// Width of one codebook vector.
    public var codebookDim: Int
    public var ch: Int
    public var chMult: [Int]
    public var zChannels: Int
    public var numResBlocks: Int
    /// Generation image size in pixels (grid = imageSize / downsample).
    public var imageSize: Int

    /// Pixels per token side: the decoder doubles the resolution between levels.
    public var downsample: Int { 1 << (chMult.count - 1) }
    public var gridSize: Int { imageSize / downsample }

    enum CodingKeys: String, CodingKey {
        case codebookSize = "image_token_size", codebookDim = "n_embed", ch, chMult = "ch_mult"
        case zChannels = "z_channels", numResBlocks = "num_res_blocks", imageSize = "image_size"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        codebookSize = try c.decodeIfPresent(Int.self, forKey: .codebookSize) ?? 16384
        codebookDim = try c.decodeIfPresent(Int.self, forKey: .codebookDim) ?? 8
        ch = try c.decodeIfPresent(Int.self, forKey: .ch) ?? 128
        chMult = try c.decodeIfPresent([Int].self, forKey: .chMult) ?? [1, 1, 2, 2, 4]
        zChannels = try c.decodeIfPresent(Int.self, forKey: .zChannels) ?? 256
        numResBlocks = try c.decodeIfPresent(Int.self, forKey: .numResBlocks) ?? 2
        imageSize = try c.decodeIfPresent(Int.self, forKey: .imageSize) ?? 384
        try requirePositive(c, [(.codebookSize, codebookSize), (.codebookDim, codebookDim), (.ch, ch),
                                (.zChannels, zChannels), (.numResBlocks, numResBlocks), (.imageSize, imageSize)])
        guard !chMult.isEmpty, chMult.allSatisfy({ $0 > 0 }) else {
            throw invalid(c, CodingKeys.chMult, "must be a non-empty list of positive multipliers")
        }
        guard imageSize % downsample == 0 else {
            throw invalid(c, CodingKeys.imageSize, "\(imageSize) is not a multiple of the downsample factor \(downsample)")
        }
    }
}

func requirePositive<Key: CodingKey>(_ c: KeyedDecodingContainer<Key>, _ values: [(Key, Int)]) throws {
    for (key, value) in values where value <= 0 {
        throw invalid(c, key, "must be positive, got \(value)")
    }
}
