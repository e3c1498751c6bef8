import JanusTensor

/// The prompt prefix of a CFG batch, run through the LLM once: one KV cache per row
/// (conditional rows first), each holding the positions the row can see.
public struct FlowPromptPrefix: Sendable {
    public let caches: [KVCache]
    /// Cached positions per row.
    public let lengths: [Int]
    /// Where every row's `t_emb` goes (the image rows follow it).
    public let timeEmbeddingPosition: Int

    /// Drops whatever a previous ODE step appended (`KVCache.truncate(to:)`), so the
    /// next step attends to the prefix alone.
    public func rewind() {
        for (cache, length) in zip(caches, lengths) { cache.truncate(to: length) }
    }
}

/// The rectified-flow ODE of JanusFlow (`demo/app_janusflow.py` `generate`): Euler steps
/// `z ← z + (1/steps) · v(z, t)` with `t = step/steps · 1000` from Gaussian noise, the
/// velocity guided as `v = w · v_cond − (w − 1) · v_uncond`.
///
/// The demo recomputes the whole sequence at every step (its KV-cache reuse iterates
/// over an emptied list). Here the prompt prefix is run once (`prefill`) and every step
/// feeds only `t_emb` and the image tokens over the cached prefix, which gives the same
/// numbers because attention is causal and the masked positions are never attended.
public struct RectifiedFlowSampler: Sendable {
    public let language: LanguageModel
    public let velocityModel: FlowVelocityModel
    public let padID: Int

    public init(language: LanguageModel, velocityModel: FlowVelocityModel, padID: Int) {
        self.language = language
        self.velocityModel = velocityModel
        self.padID = padID
    }

    public var latentShape: [Int] { [velocityModel.latentChannels, velocityModel.latentSize, velocityModel.latentSize] }

    /// Refuses requests the loop cannot run, naming what is wrong.
    public func validate(_ request: FlowGenerationRequest) throws {
        guard (1...64).contains(request.count) else {
            throw GenerationError.invalidOption("count must be in 1…64, got \(request.count)")
        }
        guard request.cfgWeight.isFinite, request.cfgWeight >= 0 else {
            throw GenerationError.invalidOption("cfg weight must be finite and ≥ 0, got \(request.cfgWeight)")
        }
        guard (1...1000).contains(request.steps) else {
            throw GenerationError.invalidOption("steps must be in 1…1000, got \(request.steps)")
        }
        guard request.promptIDs.count >= 2 else {
            throw GenerationError.invalidPrompt("the prompt needs BOS and at least one more token")
        }
        let vocabulary = language.configuration.vocabSize
        if let bad = request.promptIDs.first(where: { !(0..<vocabulary).contains($0) }) {
            throw GenerationError.invalidPrompt("token id \(bad) is outside the vocabulary 0..<\(vocabulary)")
        }
        let positions = request.promptIDs.count + velocityModel.imageTokenCount
        guard positions <= language.configuration.maxPositionEmbeddings else {
            throw GenerationError.invalidPrompt(
                "\(request.promptIDs.count) prompt tokens + \(velocityModel.imageTokenCount) image tokens exceed the model's \(language.configuration.maxPositionEmbeddings) positions")
        }
        if let latents = request.initialLatents {
            guard latents.shape == [request.count] + latentShape, latents.dtype.isFloatingPoint else {
                throw GenerationError.invalidOption(
                    "initial latents must be float \([request.count] + latentShape), got \(latents.dtype) \(latents.shape)")
            }
        }
    }

    /// The CFG batch layout of the demo for `count` images of `promptIDs`.
    public func batch(promptIDs: [Int], count: Int) -> FlowCFGBatch {
        FlowCFGBatch(promptIDs: promptIDs, count: count, padID: padID, imageTokenCount: velocityModel.imageTokenCount)
    }

    /// Runs every row's visible prompt prefix through the LLM once (one batched pass).
    public func prefill(promptIDs: [Int], count: Int) -> FlowPromptPrefix {
        let layout = batch(promptIDs: promptIDs, count: count)
        let prefixes = layout.visiblePrefixes
        let capacity = layout.timeEmbeddingPosition + 1 + velocityModel.imageTokenCount
        let caches = prefixes.map { _ in language.model.makeCache(capacity: capacity) }
        _ = language.model(language.embed(prefixes.flatMap { $0 }),
                           slots: zip(caches, prefixes).map { SequenceSlot(cache: $0, tokenCount: $1.count) })
        return FlowPromptPrefix(caches: caches, lengths: prefixes.map(\.count),
                                timeEmbeddingPosition: layout.timeEmbeddingPosition)
    }

    /// One velocity evaluation for latents `[B, C, L, L]` at timestep `t` over a prefix
    /// of 2B rows: `(v_cond, v_uncond)`, each `[B, C, L, L]`.
    public func velocities(latents: Tensor, timestep: Float, prefix: FlowPromptPrefix,
                           inspect: FlowVelocityInspector? = nil) -> (conditional: Tensor, unconditional: Tensor) {
        let images = latents.shape[0]
        precondition(prefix.caches.count == 2 * images,
                     "RectifiedFlowSampler: a prefix of \(prefix.caches.count) rows for \(images) images")
        let inputs = velocityModel.encode(latents: latents, timestep: timestep).duplicated()
        inspect?(.timeEmbedding, inputs.timeEmbedding)
        inspect?(.languageInput, inputs.languageRows)
        let (rows, rowLength, hidden) = (2 * images, inputs.languageRows.shape[1], inputs.languageRows.shape[2])
        prefix.rewind()
        let output = language.model(inputs.languageRows.reshaped([rows * rowLength, hidden]),
                                    slots: prefix.caches.map {
                                        SequenceSlot(cache: $0, tokenCount: rowLength, firstPosition: prefix.timeEmbeddingPosition)
                                    })
        return velocityModel.decoder.velocities(languageOutput: output, inputs: inputs, norm: language.norm,
                                                inspect: inspect)
    }

    /// Generates `request.count` latents `[count, C, L, L]`, calling `onStep` after each step.
    public func generate(_ request: FlowGenerationRequest,
                         onStep: (FlowGenerationStep) -> Void = { _ in }) throws -> Tensor {
        try validate(request)
        let prefix = prefill(promptIDs: request.promptIDs, count: request.count)
        var latents = request.initialLatents.map { $0.converted(to: .f32).copy() }
            ?? GaussianNoise.tensor(shape: [request.count] + latentShape, seed: request.seed)
        for step in 0..<request.steps {
            let t = Self.timestep(step: step, of: request.steps)
            let (conditional, unconditional) = velocities(latents: latents, timestep: t, prefix: prefix)
            let velocity = Self.guide(conditional: conditional, unconditional: unconditional, weight: request.cfgWeight)
            latents = Self.eulerStep(latents, velocity: velocity, steps: request.steps)
            onStep(FlowGenerationStep(index: step, timestep: t, conditional: conditional, unconditional: unconditional,
                                      velocity: velocity, latents: latents))
        }
        return latents
    }

    /// `step / steps · 1000` in double, rounded once to f32 (the demo's Python float).
    public static func timestep(step: Int, of steps: Int) -> Float {
        Float(Double(step) / Double(steps) * 1000)
    }

    /// `w · v_cond − (w − 1) · v_uncond` in the reference's f32 operation order.
    public static func guide(conditional: Tensor, unconditional: Tensor, weight: Float) -> Tensor {
        let guided = scale(conditional, by: weight)
        // Adding −((w − 1) · v_uncond) is exactly subtracting it in IEEE arithmetic.
        add(guided, scale(unconditional, by: -Float(Double(weight) - 1)), into: guided)
        return guided
    }

    /// `z + dt · v` with `dt = 1/steps` as an f32 tensor, as the demo steps.
    public static func eulerStep(_ latents: Tensor, velocity: Tensor, steps: Int) -> Tensor {
        let step = scale(velocity, by: Float(1.0 / Double(steps)))
        add(step, latents, into: step)
        return step
    }
}
