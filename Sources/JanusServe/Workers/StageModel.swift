import JanusCheckpoint
import JanusModels
import JanusTensor

/// The parts of the model one pipeline stage runs, loaded from nothing but its own
/// weights: its decoder layers; on stage 0 also the token embeddings and the image
/// generation input (`gen_embed` + `gen_aligner` for Janus-Pro, the ShallowUViT encoder
/// and its aligner for JanusFlow); on the last stage also the final norm, `lm_head` and
/// the generation output (`gen_head`, or JanusFlow's ShallowUViT encoder and decoder
/// with the decoder aligners). (Weights are memory-mapped: what a stage never loads
/// never pages in.)
public struct StageModel: Sendable {
    public let language: LanguageConfiguration
    public let stage: PipelineStage
    /// Stage 0's batching front.
    public let entry: PipelineEntry?
    /// The last stage's heads and samplers.
    public let exit: PipelineExit?

    /// A stage of a Janus / Janus-Pro checkpoint. `weights` is scoped at the checkpoint root.
    public init(weights: Weights, configuration: JanusConfiguration, placement: StagePlacement) throws {
        try self.init(weights: weights, language: configuration.language, placement: placement,
                      entry: { embedTokens in
                          PipelineEntry(embedTokens: embedTokens,
                                        imageTokenEmbedding: try ImageTokenEmbedding(weights, configuration: configuration),
                                        maxPositions: configuration.language.maxPositionEmbeddings)
                      },
                      exit: { norm, lmHead in
                          PipelineExit(norm: norm, lmHead: lmHead,
                                       generationHead: try GenerationHead(weights.scoped("gen_head"),
                                                                          configuration: configuration.genHead.params))
                      })
    }

    /// A stage of a JanusFlow checkpoint. `weights` is scoped at the checkpoint root.
    public init(weights: Weights, configuration: JanusFlowConfiguration, placement: StagePlacement) throws {
        try self.init(weights: weights, language: configuration.language, placement: placement,
                      entry: { embedTokens in
                          PipelineEntry(embedTokens: embedTokens,
                                        latentEncoder: try FlowLatentEncoder(weights, configuration: configuration),
                                        maxPositions: configuration.language.maxPositionEmbeddings)
                      },
                      exit: { norm, lmHead in
                          PipelineExit(norm: norm, lmHead: lmHead, flowHead: FlowExitHead(
                              encoder: try FlowLatentEncoder(weights, configuration: configuration),
                              decoder: try FlowVelocityDecoder(weights, configuration: configuration)))
                      })
    }

    /// The layers of every stage, the embeddings of stage 0 and the norm and text head
    /// of the last; `entry` and `exit` add the generation parts of the model's kind.
    private init(weights: Weights, language: LanguageConfiguration, placement: StagePlacement,
                 entry makeEntry: (Tensor) throws -> PipelineEntry,
                 exit makeExit: (RMSNorm, LazyLinear) throws -> PipelineExit) throws {
        let lm = weights.scoped("language_model")
        self.language = language
        stage = PipelineStage(stack: try LlamaDecoderStack(lm.scoped("model"), configuration: language,
                                                           layers: placement.layers))
        entry = placement.isFirst
            ? try makeEntry(try lm("model.embed_tokens.weight", shape: [language.vocabSize, language.hiddenSize]))
            : nil
        exit = placement.isLast
            ? try makeExit(try RMSNorm(lm.scoped("model.norm"), dimensions: language.hiddenSize, eps: language.rmsNormEps),
                           try LanguageModel.textHead(lm, configuration: language))
            : nil
    }

    public var hiddenSize: Int { language.hiddenSize }
}
