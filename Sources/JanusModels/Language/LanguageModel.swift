import JanusTensor

/// `language_model` of the checkpoint: token embeddings, the decoder layers, the final
/// norm and the text head. Image understanding uses all of it; image generation uses the
/// embeddings, the layers and the norm, with `gen_head` in place of `lm_head`.
public struct LanguageModel: Sendable {
    public let configuration: LanguageConfiguration
    /// `model.embed_tokens.weight` `[vocab, hidden]`.
    public let embedTokens: Tensor
    public let model: LlamaDecoderStack
    public let norm: RMSNorm
    /// Made on first use (`LazyLinear`): image generation never reads it.
    public let lmHead: LazyLinear

    /// - Parameter weights: scoped at `language_model`.
    public init(_ weights: Weights, configuration c: LanguageConfiguration) throws {
        configuration = c
        let weights = weights.loadingLinears(as: LinearWeightFormat.languageModelDefault)
        embedTokens = try weights("model.embed_tokens.weight", shape: [c.vocabSize, c.hiddenSize])
        model = try LlamaDecoderStack(weights.scoped("model"), configuration: c)
        norm = try RMSNorm(weights.scoped("model.norm"), dimensions: c.hiddenSize, eps: c.rmsNormEps)
        lmHead = try Self.textHead(weights, configuration: c)
    }

    /// `lm_head` (or the token embeddings when tied), held like the decoder's linear
    /// layers (`--weights`) once a question first needs it.
    /// - Parameter weights: scoped at `language_model`.
    public static func textHead(_ weights: Weights, configuration c: LanguageConfiguration) throws -> LazyLinear {
        let weights = weights.loadingLinears(as: LinearWeightFormat.languageModelDefault)
        return try LazyLinear(weights.scoped(c.tieWordEmbeddings ? "model.embed_tokens" : "lm_head"),
                              in: c.hiddenSize, out: c.vocabSize, bias: false)
    }

    /// Token embeddings `[ids.count, hidden]`; ids must be in `0..<vocabSize`.
    public func embed(_ ids: [Int]) -> Tensor {
        embedding(ids: ids, table: embedTokens)
    }

    /// The last position of each slot, gathered: `[slots.count, hidden]`.
    public static func lastPositions(of hidden: Tensor, slots: [SequenceSlot]) -> Tensor {
        let result = Tensor(zeros: [slots.count, hidden.shape[1]])
        var end = 0
        for (index, slot) in slots.enumerated() {
            end += slot.tokenCount
            result[index].assign(hidden[end - 1])
        }
        return result
    }
}
