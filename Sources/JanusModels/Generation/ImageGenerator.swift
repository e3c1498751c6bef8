import JanusTensor

/// A text-to-image request as `generation_inference.py` runs it: the templated prompt's
/// ids (ending in `<begin_of_image>`), `count` images in parallel, classifier-free
/// guidance of weight `cfgWeight`.
public struct ImageGenerationRequest: Sendable {
    public var promptIDs: [Int]
    public var count: Int
    public var cfgWeight: Float
    public var imageTokenCount: Int
    public var sampling: SamplingOptions
    public var seed: UInt64

    public init(promptIDs: [Int], count: Int = 1, cfgWeight: Float = 5, imageTokenCount: Int,
                sampling: SamplingOptions = SamplingOptions(), seed: UInt64 = 0) {
        self.promptIDs = promptIDs
        self.count = count
        self.cfgWeight = cfgWeight
        self.imageTokenCount = imageTokenCount
        self.sampling = sampling
        self.seed = seed
    }
}

/// What one generation step produced, for progress reporting and parity checks.
public struct ImageGenerationStep {
    public let index: Int
    /// `gen_head` logits of every row, conditional and unconditional interleaved `[2P, codebook]`.
    public let headLogits: Tensor
    /// `uncond + cfg · (cond − uncond)` `[P, codebook]`.
    public let guidedLogits: Tensor
    public let tokens: [Int]
}

/// The autoregressive image-token loop with classifier-free guidance.
public struct ImageGenerator: Sendable {
    public let language: LanguageModel
    public let head: GenerationHead
    public let tokenEmbedding: ImageTokenEmbedding
    public let padID: Int

    public init(language: LanguageModel, head: GenerationHead, tokenEmbedding: ImageTokenEmbedding, padID: Int) {
        self.language = language
        self.head = head
        self.tokenEmbedding = tokenEmbedding
        self.padID = padID
    }

    /// The conditional prompt and its unconditional twin: the reference replaces every
    /// token but the first (BOS) and the last (`<begin_of_image>`) with the pad id.
    public func promptRows(_ ids: [Int]) -> (conditional: [Int], unconditional: [Int]) {
        var unconditional = ids
        if ids.count > 2 {
            for index in 1..<(ids.count - 1) { unconditional[index] = padID }
        }
        return (ids, unconditional)
    }

    public func validate(_ request: ImageGenerationRequest) throws {
        try request.sampling.validate()
        guard (1...64).contains(request.count) else {
            throw GenerationError.invalidOption("count must be in 1…64, got \(request.count)")
        }
        guard request.cfgWeight.isFinite, request.cfgWeight >= 0 else {
            throw GenerationError.invalidOption("cfg weight must be finite and ≥ 0, got \(request.cfgWeight)")
        }
        guard request.imageTokenCount > 0 else {
            throw GenerationError.invalidOption("image token count must be positive")
        }
        guard !request.promptIDs.isEmpty else { throw GenerationError.invalidPrompt("the prompt has no tokens") }
        let vocabulary = language.configuration.vocabSize
        if let bad = request.promptIDs.first(where: { !(0..<vocabulary).contains($0) }) {
            throw GenerationError.invalidPrompt("token id \(bad) is outside the vocabulary 0..<\(vocabulary)")
        }
        let total = request.promptIDs.count + request.imageTokenCount
        guard total <= language.configuration.maxPositionEmbeddings else {
            throw GenerationError.invalidPrompt(
                "\(request.promptIDs.count) prompt tokens + \(request.imageTokenCount) image tokens exceed the model's \(language.configuration.maxPositionEmbeddings) positions")
        }
    }

    /// Generates `request.count` token grids (row-major), calling `onStep` after each step.
    public func generate(_ request: ImageGenerationRequest,
                         onStep: (ImageGenerationStep) -> Void = { _ in }) throws -> [[Int]] {
        try validate(request)
        let (conditional, unconditional) = promptRows(request.promptIDs)
        let capacity = request.promptIDs.count + request.imageTokenCount
        let caches = (0..<(2 * request.count)).map { _ in language.model.makeCache(capacity: capacity) }
        var sampler = TokenSampler(options: request.sampling, seed: request.seed)
        var grids = [[Int]](repeating: [], count: request.count)

        // Step 0 is the prompt prefill; every later step feeds one image token per row.
        var slots = caches.map { SequenceSlot(cache: $0, tokenCount: request.promptIDs.count) }
        var inputs = language.embed((0..<request.count).flatMap { _ in conditional + unconditional })
        for step in 0..<request.imageTokenCount {
            let hidden = language.model(inputs, slots: slots)
            let last = language.norm(LanguageModel.lastPositions(of: hidden, slots: slots))
            let headLogits = head(last)
            let guided = Self.guide(headLogits, weight: request.cfgWeight)
            let tokens = sampler.sample(guided)
            for (image, token) in tokens.enumerated() { grids[image].append(token) }
            onStep(ImageGenerationStep(index: step, headLogits: headLogits, guidedLogits: guided, tokens: tokens))

            slots = caches.map { SequenceSlot(cache: $0, tokenCount: 1) }
            inputs = tokenEmbedding(tokens.flatMap { [$0, $0] })
        }
        return grids
    }

    /// `logits = uncond + w · (cond − uncond)` over interleaved rows `[2P, V]` → `[P, V]`,
    /// in the reference's operation order (so f32 rounding matches).
    public static func guide(_ logits: Tensor, weight: Float) -> Tensor {
        let pairs = logits.shape[0] / 2, vocabulary = logits.shape[1]
        let values = logits.floats()
        var guided = [Float](repeating: 0, count: pairs * vocabulary)
        for pair in 0..<pairs {
            let cond = 2 * pair * vocabulary, uncond = cond + vocabulary
            for v in 0..<vocabulary {
                let u = values[uncond + v]
                guided[pair * vocabulary + v] = u + weight * (values[cond + v] - u)
            }
        }
        return Tensor(shape: [pairs, vocabulary], guided)
    }
}
