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
    public let lmHead: Linear

    /// - Parameter weights: scoped at `language_model`.
    public init(_ weights: Weights, configuration c: LanguageConfiguration) throws {
        configuration = c
        let weights = weights.loadingLinears(as: LinearWeightFormat.languageModelDefault)
        embedTokens = try weights("model.embed_tokens.weight", shape: [c.vocabSize, c.hiddenSize])
        model = try LlamaDecoderStack(weights.scoped("model"), configuration: c)
        norm = try RMSNorm(weights.scoped("model.norm"), dimensions: c.hiddenSize, eps: c.rmsNormEps)
        lmHead = c.tieWordEmbeddings
            ? try Linear(weights.scoped("model.embed_tokens"), in: c.hiddenSize, out: c.vocabSize, bias: false)
            : try Linear(weights.scoped("lm_head"), in: c.hiddenSize, out: c.vocabSize, bias: false)
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
