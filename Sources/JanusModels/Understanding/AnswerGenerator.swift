import JanusTensor

/// How an answer ends.
public enum StopReason: String, Sendable, Equatable {
    case endOfSequence = "eos"
    case stopString = "stop_string"
    case maxTokens = "max_tokens"
}

public struct AnswerOptions: Sendable {
    public var maxNewTokens: Int
    public var sampling: SamplingOptions
    public var seed: UInt64
    /// Token ids that end the answer (not part of it): the tokenizer's EOS.
    public var stopTokenIDs: Set<Int>

    public init(maxNewTokens: Int = 512, sampling: SamplingOptions = .greedy, seed: UInt64 = 0,
                stopTokenIDs: Set<Int>) {
        self.maxNewTokens = maxNewTokens
        self.sampling = sampling
        self.seed = seed
        self.stopTokenIDs = stopTokenIDs
    }
}

/// Prefill + KV-cache decode of a text answer (`language_model.generate` with
/// `use_cache=True`), one token at a time so callers can stream it.
public struct AnswerGenerator: Sendable {
    public let language: LanguageModel

    public init(language: LanguageModel) { self.language = language }

    /// What one decode step produced.
    public struct Step {
        public let token: Int
        /// The logits the token was chosen from `[vocab]`.
        public let logits: Tensor
    }

    /// Generates from `promptEmbeddings` `[T, hidden]`, appending to `cache` (which may
    /// already hold earlier turns). `onToken` returns false to stop early (e.g. a stop
    /// string appeared in the text); the returned ids never include the stop token.
    public func generate(promptEmbeddings: Tensor, cache: KVCache, options: AnswerOptions,
                         onToken: (Step) -> Bool) throws -> (ids: [Int], reason: StopReason) {
        try options.sampling.validate()
        guard options.maxNewTokens >= 1 else {
            throw GenerationError.invalidOption("max new tokens must be ≥ 1, got \(options.maxNewTokens)")
        }
        let limit = language.configuration.maxPositionEmbeddings
        guard cache.length + promptEmbeddings.shape[0] < limit else {
            throw GenerationError.invalidPrompt(
                "\(cache.length + promptEmbeddings.shape[0]) tokens leave no room within the model's \(limit) positions")
        }
        var sampler = TokenSampler(options: options.sampling, seed: options.seed)
        var input = promptEmbeddings
        var ids: [Int] = []
        while true {
            let hidden = language.model(input, slots: [SequenceSlot(cache: cache, tokenCount: input.shape[0])])
            let logits = language.lmHead(language.norm(hidden[hidden.shape[0] - 1].reshaped([1, hidden.shape[1]])))
            let token = sampler.sample(logits)[0]
            if options.stopTokenIDs.contains(token) { return (ids, .endOfSequence) }
            ids.append(token)
            guard onToken(Step(token: token, logits: logits[0])) else { return (ids, .stopString) }
            if ids.count == options.maxNewTokens || cache.length >= limit { return (ids, .maxTokens) }
            input = language.embed([token])
        }
    }
}
