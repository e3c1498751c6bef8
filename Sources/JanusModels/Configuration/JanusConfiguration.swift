import Foundation

/// A `multi_modality` config.json (Janus, Janus-Pro): the language model plus the
/// understanding path (SigLIP + aligner) and the generation path (VQ-16 + gen aligner +
/// gen head), decoded into typed values.
public struct JanusConfiguration: Decodable, Sendable, Equatable {
    public var modelType: String
    public var language: LanguageConfiguration
    public var vision: Component<VisionConfiguration>
    public var aligner: Component<ProjectorConfiguration>
    public var genVision: Component<VQConfiguration>
    public var genAligner: Component<ProjectorConfiguration>
    public var genHead: Component<GenerationHeadConfiguration>
    public var torchDtype: String?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", language = "language_config", vision = "vision_config"
        case aligner = "aligner_config", genVision = "gen_vision_config"
        case genAligner = "gen_aligner_config", genHead = "gen_head_config", torchDtype = "torch_dtype"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decode(String.self, forKey: .modelType)
        guard modelType == "multi_modality" else {
            throw invalid(c, CodingKeys.modelType,
                          "expected \"multi_modality\" (Janus / Janus-Pro), got \"\(modelType)\"")
        }
        language = try c.decode(LanguageConfiguration.self, forKey: .language)
        vision = try c.decode(Component<VisionConfiguration>.self, forKey: .vision)
        aligner = try c.decode(Component<ProjectorConfiguration>.self, forKey: .aligner)
        genVision = try c.decode(Component<VQConfiguration>.self, forKey: .genVision)
        genAligner = try c.decode(Component<ProjectorConfiguration>.self, forKey: .genAligner)
        genHead = try c.decode(Component<GenerationHeadConfiguration>.self, forKey: .genHead)
        torchDtype = try c.decodeIfPresent(String.self, forKey: .torchDtype)
        try checkConsistency(c)
    }

    /// The components must agree on the widths they exchange; a mismatch here would
    /// otherwise surface as a shape error deep inside a forward pass.
    private func checkConsistency(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        let hidden = language.hiddenSize
        if aligner.params.inputDim != vision.params.width {
            throw invalid(c, CodingKeys.aligner, "params.input_dim \(aligner.params.inputDim) ≠ vision width \(vision.params.width)")
        }
        if aligner.params.nEmbed != hidden {
            throw invalid(c, CodingKeys.aligner, "params.n_embed \(aligner.params.nEmbed) ≠ hidden_size \(hidden)")
        }
        if genAligner.params.inputDim != genVision.params.codebookDim {
            throw invalid(c, CodingKeys.genAligner, "params.input_dim \(genAligner.params.inputDim) ≠ codebook dim \(genVision.params.codebookDim)")
        }
        if genAligner.params.nEmbed != hidden {
            throw invalid(c, CodingKeys.genAligner, "params.n_embed \(genAligner.params.nEmbed) ≠ hidden_size \(hidden)")
        }
        if genHead.params.nEmbed != hidden {
            throw invalid(c, CodingKeys.genHead, "params.n_embed \(genHead.params.nEmbed) ≠ hidden_size \(hidden)")
        }
        if genHead.params.imageTokenSize != genVision.params.codebookSize {
            throw invalid(c, CodingKeys.genHead, "params.image_token_size \(genHead.params.imageTokenSize) ≠ codebook size \(genVision.params.codebookSize)")
        }
    }

    /// Reads `config.json` from a checkpoint directory.
    public static func load(directory: String) throws -> JanusConfiguration {
        try decodeConfigurationFile(JanusConfiguration.self,
                                    at: URL(fileURLWithPath: directory).appendingPathComponent("config.json"))
    }
}

/// One `{"cls": …, "model_type": …, "params": {…}}` entry of config.json.
public struct Component<Params: Decodable & Sendable & Equatable>: Decodable, Sendable, Equatable {
    public var cls: String
    public var modelType: String?
    public var params: Params

    enum CodingKeys: String, CodingKey { case cls, modelType = "model_type", params }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        cls = try c.decode(String.self, forKey: .cls)
        modelType = try c.decodeIfPresent(String.self, forKey: .modelType)
        if c.contains(.params) {
            params = try c.decode(Params.self, forKey: .params)
        } else {
            // No params at all: every size takes its real-model default.
            params = try JSONDecoder().decode(Params.self, from: Data("{}".utf8))
        }
    }
}
