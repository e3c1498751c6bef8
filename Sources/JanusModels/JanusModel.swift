import Foundation
import JanusCheckpoint
import JanusTensor

/// Janus / Janus-Pro as the reference's `MultiModalityCausalLM`: one weight source, the
/// parts each job needs. Checkpoint tensors are memory-mapped, so loading is cheap and
/// a part that a job never runs never pages in.
public struct JanusModel: Sendable {
    public let configuration: JanusConfiguration
    public let language: LanguageModel
    /// SigLIP + aligner (understanding).
    public let imageEncoder: ImageEncoder
    /// `gen_head` (generation).
    public let generationHead: GenerationHead
    /// `gen_embed` + `gen_aligner` (generation).
    public let imageTokenEmbedding: ImageTokenEmbedding
    /// VQ-16 decoder (generation).
    public let imageDecoder: VQImageDecoder

    public init(weights: Weights, configuration c: JanusConfiguration) throws {
        configuration = c
        language = try LanguageModel(weights.scoped("language_model"), configuration: c.language)
        imageEncoder = try ImageEncoder(weights: weights, configuration: c)
        generationHead = try GenerationHead(weights.scoped("gen_head"), configuration: c.genHead.params)
        imageTokenEmbedding = try ImageTokenEmbedding(weights, configuration: c)
        imageDecoder = try VQImageDecoder(weights: weights.scoped("gen_vision_model"), configuration: c.genVision.params)
    }

    /// Loads `config.json` and the weights of a checkpoint directory.
    public static func load(directory: String) throws -> JanusModel {
        let configuration = try JanusConfiguration.load(directory: directory)
        let checkpoint = try Checkpoint.open(directory: directory)
        return try JanusModel(weights: Weights(checkpoint), configuration: configuration)
    }

    /// The CFG image-token loop over this model's parts.
    public func imageGenerator(padID: Int) -> ImageGenerator {
        ImageGenerator(language: language, head: generationHead, tokenEmbedding: imageTokenEmbedding, padID: padID)
    }
}
