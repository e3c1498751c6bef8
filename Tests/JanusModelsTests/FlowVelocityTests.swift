import JanusModels
import JanusTensor
import JanusTestSupport
import JanusText
import Testing

/// One guided velocity (`velocity.step`) and a whole short ODE run (`ode.run`) against
/// the demo's loop, with the prompt prefix cached once instead of recomputed per step.
@Suite struct FlowVelocityTests {
    let model: JanusFlowModel
    let prompts: PromptBuilder
    let sampler: RectifiedFlowSampler

    init() throws {
        model = try JanusFlowModel.load(directory: FlowFixtures.model)
        prompts = try PromptBuilder.loadJanusFlow(directory: FlowFixtures.model)
        sampler = model.sampler(padID: try prompts.padID)
    }

    static let foxPrompt = "A cute and adorable baby fox with big brown eyes, autumn leaves in the background."

    @Test func promptAndCFGBatchFollowTheDemo() throws {
        let name = "velocity.step"
        let golden = try FlowFixtures.goldenCase(named: name)
        #expect(prompts.generationPromptText(Self.foxPrompt) == golden["prompt"] as? String)
        let ids = prompts.generationPromptIDs(Self.foxPrompt)
        #expect(ids == (try FlowFixtures.ids(name, "input_ids")))
        #expect(try prompts.padID == golden["pad_id"] as? Int)

        let batch = sampler.batch(promptIDs: ids, count: 2)
        let tokens = try FlowFixtures.tensor(name, "tokens")
        #expect(batch.tokens == (0..<4).map { tokens[$0].integers().map(Int.init) })
        let mask = try FlowFixtures.tensor(name, "attention_mask")
        #expect(batch.attentionMask == (0..<4).map { mask[$0].integers().map(Int.init) })
        #expect(batch.timeEmbeddingPosition == ids.count - 1)
        #expect(batch.visiblePrefixes.map(\.count) == [ids.count - 1, ids.count - 1, 1, 1])
        for (length, count) in [(2, 1), (ids.count, 2), (7, 3)] {
            let prompt = Array(ids.prefix(length)) + [Int](repeating: ids[1], count: max(0, length - ids.count))
            #expect(sampler.batch(promptIDs: prompt, count: count).visiblePrefixes.map(\.count)
                    == FlowCFGBatch.visiblePrefixLengths(promptLength: length, count: count))
        }

        // The README's `<｜begin▁of▁generation｜>` ending only changes the dropped token.
        let variant = try FlowFixtures.ids(name, "input_ids_readme_variant")
        #expect(sampler.batch(promptIDs: variant, count: 2).visiblePrefixes == batch.visiblePrefixes)
    }

    @Test func oneGuidedVelocityStepMatchesTheReference() throws {
        let name = "velocity.step"
        let golden = try FlowFixtures.goldenCase(named: name)
        let ids = try FlowFixtures.ids(name, "input_ids")
        let t = RectifiedFlowSampler.timestep(step: golden["step"] as? Int ?? -1,
                                              of: golden["num_inference_steps"] as? Int ?? -1)
        #expect(Double(t) == golden["t"] as? Double)

        let prefix = sampler.prefill(promptIDs: ids, count: 2)
        var stages: [FlowVelocityStage: Tensor] = [:]
        let (conditional, unconditional) = sampler.velocities(
            latents: try FlowFixtures.tensor(name, "z"), timestep: t, prefix: prefix) { stages[$0] = $1 }

        try expectGolden(try #require(stages[.timeEmbedding]), name, "t_emb")
        let languageInput = try #require(stages[.languageInput])
        try expectGolden(sliceAxis1(languageInput, 1..<languageInput.shape[1]), name, "z_tokens")
        // llm_emb = [prompt embeddings without the last token, t_emb, image tokens].
        let llmInput = try FlowFixtures.tensor(name, "llm_emb")
        let (atol, rtol) = try FlowFixtures.tolerance(name, "llm_emb")
        let prefixLength = ids.count - 1
        expectClose(actual: languageInput, expected: sliceAxis1(llmInput, prefixLength..<llmInput.shape[1]),
                    atol: atol, rtol: rtol, "llm_emb after the prompt")
        let tokens = try FlowFixtures.tensor(name, "tokens")
        for row in 0..<4 {
            let promptEmbeddings = model.language.embed(Array(tokens[row].integers().map(Int.init).prefix(prefixLength)))
            expectClose(actual: promptEmbeddings, expected: llmInput[row].rows(0..<prefixLength), atol: atol, rtol: rtol,
                        "llm_emb prompt part, row \(row)")
        }
        try expectGolden(try #require(stages[.imageHidden]), name, "last_hidden_img")
        try expectGolden(channelsFirst(try #require(stages[.decoderInput])), name, "dec_in")
        try expectGolden(conditional, name, "v_cond")
        try expectGolden(unconditional, name, "v_uncond")
        let weight = Float(golden["cfg_weight"] as? Double ?? 0)
        try expectGolden(RectifiedFlowSampler.guide(conditional: conditional, unconditional: unconditional, weight: weight),
                         name, "v")
    }

    @Test func shortODERunFromTheStoredNoiseMatchesTheReference() throws {
        let name = "ode.run"
        let golden = try FlowFixtures.goldenCase(named: name)
        let steps = golden["num_inference_steps"] as? Int ?? 0
        let request = FlowGenerationRequest(
            promptIDs: try FlowFixtures.ids(name, "input_ids"), count: golden["batch"] as? Int ?? 0,
            cfgWeight: Float(golden["cfg_weight"] as? Double ?? 0), steps: steps,
            initialLatents: try FlowFixtures.tensor(name, "z0"))
        var recorded: [FlowGenerationStep] = []
        let latents = try sampler.generate(request) { recorded.append($0) }

        #expect(recorded.map { Double($0.timestep) } == golden["t_values"] as? [Double])
        let (zSteps, vCond, vUncond, v) = try (FlowFixtures.tensor(name, "z_steps"), FlowFixtures.tensor(name, "v_cond"),
                                                FlowFixtures.tensor(name, "v_uncond"), FlowFixtures.tensor(name, "v"))
        func check(_ actual: Tensor, _ expected: Tensor, _ key: String, _ step: Int) throws {
            let (atol, rtol) = try FlowFixtures.tolerance(name, key)
            expectClose(actual: actual, expected: expected, atol: atol, rtol: rtol, "\(key) step \(step)")
        }
        for step in recorded {
            try check(step.conditional, vCond[step.index], "v_cond", step.index)
            try check(step.unconditional, vUncond[step.index], "v_uncond", step.index)
            try check(step.velocity, v[step.index], "v", step.index)
            try check(step.latents, zSteps[step.index + 1], "z_steps", step.index)
        }
        #expect(recorded.count == steps)
        try expectGolden(latents, name, "z_final")
    }

    @Test func seededNoiseIsReproducibleAndStandardNormal() {
        let first = GaussianNoise.tensor(shape: [2, 4, 48, 48], seed: 42)
        #expect(first.floats() == GaussianNoise.tensor(shape: [2, 4, 48, 48], seed: 42).floats())
        #expect(first.floats() != GaussianNoise.tensor(shape: [2, 4, 48, 48], seed: 43).floats())
        let values = first.floats().map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05, "mean \(mean), variance \(variance)")
    }

    @Test func invalidRequestsAreRefused() throws {
        let ids = prompts.generationPromptIDs("a cat")
        #expect(throws: GenerationError.self) { try sampler.validate(FlowGenerationRequest(promptIDs: ids, steps: 0)) }
        #expect(throws: GenerationError.self) { try sampler.validate(FlowGenerationRequest(promptIDs: ids, cfgWeight: .nan)) }
        #expect(throws: GenerationError.self) { try sampler.validate(FlowGenerationRequest(promptIDs: [3000])) }
        #expect(throws: GenerationError.self) {
            try sampler.validate(FlowGenerationRequest(promptIDs: ids, count: 2, initialLatents: Tensor(zeros: [1, 4, 10, 10])))
        }
    }
}
