import JanusModels
import JanusTensor

/// The parts of the language model one pipeline stage runs, loaded from nothing but its
/// own weights: its decoder layers; on stage 0 also the token embeddings and
/// `gen_embed` + `gen_aligner`; on the last stage also the final norm, `lm_head` and
/// `gen_head`. (Weights are memory-mapped: what a stage never loads never pages in.)
public struct StageModel: Sendable {
    public let configuration: JanusConfiguration
    public let stage: PipelineStage
    /// Stage 0's batching front.
    public let entry: PipelineEntry?
    /// The last stage's heads and samplers.
    public let exit: PipelineExit?

    /// - Parameter weights: scoped at the checkpoint root.
    public init(weights: Weights, configuration: JanusConfiguration, placement: StagePlacement) throws {
        let language = configuration.language
        let lm = weights.scoped("language_model")
        self.configuration = configuration
        stage = PipelineStage(stack: try LlamaDecoderStack(lm.scoped("model"), configuration: language,
                                                           layers: placement.layers))
        entry = placement.isFirst
            ? PipelineEntry(embedTokens: try lm("model.embed_tokens.weight", shape: [language.vocabSize, language.hiddenSize]),
                            imageTokenEmbedding: try ImageTokenEmbedding(weights, configuration: configuration),
                            maxPositions: language.maxPositionEmbeddings)
            : nil
        exit = placement.isLast
            ? PipelineExit(norm: try RMSNorm(lm.scoped("model.norm"), dimensions: language.hiddenSize, eps: language.rmsNormEps),
                           lmHead: try Linear(lm.scoped("lm_head"), in: language.hiddenSize, out: language.vocabSize, bias: false),
                           generationHead: try GenerationHead(weights.scoped("gen_head"), configuration: configuration.genHead.params))
            : nil
    }

    public var hiddenSize: Int { configuration.language.hiddenSize }
}
