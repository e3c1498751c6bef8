import Foundation
import JanusCheckpoint
import JanusTensor
import JanusText

/// JanusFlow as the reference's `MultiModalityCausalLM` (janus/janusflow): one weight
/// source, the LLM shared by both jobs, the SigLIP path for understanding and the
/// ShallowUViT path for rectified-flow generation. Checkpoint tensors are
/// memory-mapped, so a part a job never runs never pages in.
public struct JanusFlowModel: Sendable {
    public let configuration: JanusFlowConfiguration
    public let language: LanguageModel
    /// `vision_und_enc_*` + `beg_of_und_embed` (understanding).
    public let imageEncoder: FlowImageEncoder
    /// `vision_gen_*` (generation).
    public let velocityModel: FlowVelocityModel

    public init(weights: Weights, configuration c: JanusFlowConfiguration) throws {
        configuration = c
        language = try LanguageModel(weights.scoped("language_model"), configuration: c.language)
        imageEncoder = try FlowImageEncoder(weights, configuration: c)
        velocityModel = try FlowVelocityModel(weights, configuration: c)
    }

    /// Loads `config.json` and the weights of a checkpoint directory.
    public static func load(directory: String) throws -> JanusFlowModel {
        let configuration = try JanusFlowConfiguration.load(directory: directory)
        let checkpoint = try Checkpoint.open(directory: directory)
        return try JanusFlowModel(weights: Weights(checkpoint), configuration: configuration)
    }

    /// The rectified-flow ODE over this model's parts.
    public func sampler(padID: Int) -> RectifiedFlowSampler {
        RectifiedFlowSampler(language: language, velocityModel: velocityModel, padID: padID)
    }
}

extension JanusFlowModel: UnderstandingModel {
    public var understandingImageSize: Int { imageEncoder.imageSize }

    public func imageRows(pixels: Tensor) throws -> Tensor { try imageEncoder.embeddings(pixels: pixels) }

    /// JanusFlow's processor marks `<begin_of_image>` too (its row is `beg_of_und_embed`).
    public func imageRowPositions(in prompt: MultimodalPrompt, prompts: PromptBuilder) -> [Bool] {
        Self.imageRowPositions(in: prompt, prompts: prompts)
    }

    /// `imageRowPositions` without the weights (the cluster's router has none).
    public static func imageRowPositions(in prompt: MultimodalPrompt, prompts: PromptBuilder) -> [Bool] {
        prompt.inputIDs.map { $0 == prompts.imageID || $0 == prompts.imageStartID }
    }
}
