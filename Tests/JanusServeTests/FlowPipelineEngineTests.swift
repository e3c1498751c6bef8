import JanusCheckpoint
import JanusInference
import JanusModels
import JanusServe
import JanusTensor
import JanusTestSupport
import JanusText
import Testing

/// JanusFlow through the pipeline engines chained in one process (no sockets): the prompt
/// prefix runs once, every ODE step re-runs `t_emb` and the image rows over it on every
/// stage, the Euler update happens at the exit. The numbers must be the single-process
/// sampler's, and the reference's.
@Suite struct FlowPipelineEngineTests {
    let configuration: JanusFlowConfiguration
    let weights: Weights
    let prompts: PromptBuilder

    init() throws {
        configuration = try JanusFlowConfiguration.load(directory: FlowFixtures.model)
        weights = Weights(try Checkpoint.open(directory: FlowFixtures.model))
        prompts = try PromptBuilder.loadJanusFlow(directory: FlowFixtures.model)
    }

    /// Entry, stages split at `boundary`, exit, stepped until every sequence finished.
    final class Pipeline {
        let entry: PipelineEntry
        let stages: [PipelineStage]
        let exit: PipelineExit
        var produced: [String: [SequenceTokens]] = [:]

        init(weights: Weights, configuration c: JanusFlowConfiguration, boundary: Int,
             initialLatents: @escaping PipelineExit.InitialLatents = PipelineExit.seededNoise) throws {
            let lm = weights.scoped("language_model")
            let language = c.language
            entry = PipelineEntry(
                embedTokens: try lm("model.embed_tokens.weight", shape: [language.vocabSize, language.hiddenSize]),
                latentEncoder: try FlowLatentEncoder(weights, configuration: c),
                maxPositions: language.maxPositionEmbeddings)
            stages = try [0..<boundary, boundary..<language.numHiddenLayers].map {
                PipelineStage(stack: try LlamaDecoderStack(lm.scoped("model"), configuration: language, layers: $0))
            }
            exit = PipelineExit(
                norm: try RMSNorm(lm.scoped("model.norm"), dimensions: language.hiddenSize, eps: language.rmsNormEps),
                lmHead: try LanguageModel.textHead(lm, configuration: language),
                flowHead: FlowExitHead(encoder: try FlowLatentEncoder(weights, configuration: c),
                                       decoder: try FlowVelocityDecoder(weights, configuration: c)),
                initialLatents: initialLatents)
        }

        func runUntilIdle(beforeStep: (Int) throws -> Void = { _ in }) throws {
            var step = 0
            while true {
                try beforeStep(step)
                step += 1
                guard var batch = entry.nextBatch() else { return }
                for stage in stages {
                    #expect(stage.problems(in: batch).isEmpty)
                    batch = try stage.forward(batch)
                }
                let sampled = try exit.sample(batch)
                for result in sampled {
                    produced[result.sequenceID, default: []].append(result)
                    try entry.validate(result)
                    if result.finish != nil { for stage in stages { stage.release(result.sequenceID) } }
                }
                entry.accept(sampled)
            }
        }

        func finalLatents(_ id: String) throws -> Tensor {
            let results = try #require(produced[id])
            #expect(results.last?.finish == .complete)
            return try #require(results.last?.latents)
        }
    }

    func spec(_ id: String, promptTokens: Int, count: Int, cfgWeight: Float = 2, steps: Int, seed: UInt64 = 0) throws -> SequenceSpec {
        SequenceSpec(id: id, mode: .flow(FlowSequence(count: count, cfgWeight: cfgWeight, padID: try prompts.padID,
                                                      steps: steps, latentChannels: configuration.latentChannels,
                                                      latentSize: configuration.latentSize)),
                     sampling: .greedy, seed: seed, maxTokens: configuration.imageTokenCount, promptTokens: promptTokens)
    }

    @Test func theReferenceODERunFromItsStoredNoise() throws {
        let name = "ode.run"
        let golden = try FlowFixtures.goldenCase(named: name)
        let steps = golden["num_inference_steps"] as? Int ?? 0
        let z0 = try FlowFixtures.tensor(name, "z0").converted(to: .f32).copy()
        let pipeline = try Pipeline(weights: weights, configuration: configuration, boundary: 1,
                                    initialLatents: { _, _ in z0 })
        let ids = try FlowFixtures.ids(name, "input_ids")
        try pipeline.entry.submit(try spec("ode", promptTokens: ids.count, count: 2,
                                           cfgWeight: Float(golden["cfg_weight"] as? Double ?? 0), steps: steps),
                                  promptIDs: ids)
        try pipeline.runUntilIdle()

        let results = try #require(pipeline.produced["ode"])
        // The prompt step, then one per ODE step.
        #expect(results.map(\.step) == Array(0...steps))
        let zSteps = try FlowFixtures.tensor(name, "z_steps")
        let (atol, rtol) = try FlowFixtures.tolerance(name, "z_steps")
        for result in results.dropFirst() {
            expectClose(actual: try #require(result.latents), expected: zSteps[result.step], atol: atol, rtol: rtol,
                        "z after ODE step \(result.step)")
        }
        try expectGolden(try pipeline.finalLatents("ode"), name, "z_final")

        // And exactly what the single-process sampler computes from the same noise.
        let model = try JanusFlowModel.load(directory: FlowFixtures.model)
        let single = try model.sampler(padID: try prompts.padID).generate(FlowGenerationRequest(
            promptIDs: ids, count: 2, cfgWeight: 2, steps: steps, initialLatents: z0))
        #expect(try pipeline.finalLatents("ode").floats() == single.floats())
        #expect(pipeline.entry.activeSequences == 0 && pipeline.stages.allSatisfy { $0.activeSequences == 0 })
    }

    @Test func seededRunsMatchSingleProcessFlowTextToImageWhileSharingSteps() throws {
        let flow = try FlowTextToImage.load(model: FlowFixtures.model, vae: FlowFixtures.vae)
        let fox = "A cute and adorable baby fox", cat = "a cat on a sofa"
        let foxIDs = flow.promptIDs(fox), catIDs = flow.promptIDs(cat)
        let pipeline = try Pipeline(weights: weights, configuration: configuration, boundary: 2)
        try pipeline.entry.submit(try spec("fox", promptTokens: foxIDs.count, count: 2, steps: 3, seed: 1234),
                                  promptIDs: foxIDs)
        // The second request joins while the first one is in its ODE steps.
        try pipeline.runUntilIdle { step in
            guard step == 2 else { return }
            try pipeline.entry.submit(try spec("cat", promptTokens: catIDs.count, count: 1, cfgWeight: 3, steps: 5, seed: 7),
                                      promptIDs: catIDs)
        }
        let expectedFox = try flow.generate(prompt: fox, count: 2, cfgWeight: 2, steps: 3, seed: 1234)
        let expectedCat = try flow.generate(prompt: cat, count: 1, cfgWeight: 3, steps: 5, seed: 7)
        expectClose(actual: try pipeline.finalLatents("fox"), expected: expectedFox, atol: 1e-5, rtol: 1e-5, "fox")
        expectClose(actual: try pipeline.finalLatents("cat"), expected: expectedCat, atol: 1e-5, rtol: 1e-5, "cat")
        #expect(pipeline.produced["cat"]?.count == 6)
    }

    @Test func aSequenceAloneGivesTheSingleProcessNumbersExactly() throws {
        let flow = try FlowTextToImage.load(model: FlowFixtures.model, vae: FlowFixtures.vae)
        let ids = flow.promptIDs("A cute and adorable baby fox")
        let pipeline = try Pipeline(weights: weights, configuration: configuration, boundary: 1)
        try pipeline.entry.submit(try spec("fox", promptTokens: ids.count, count: 2, steps: 3, seed: 99), promptIDs: ids)
        try pipeline.runUntilIdle()
        let expected = try flow.generate(prompt: "A cute and adorable baby fox", count: 2, steps: 3, seed: 99)
        #expect(try pipeline.finalLatents("fox").floats() == expected.floats())
    }

    @Test func entriesRefuseFlowSequencesTheyCannotRun() throws {
        let pipeline = try Pipeline(weights: weights, configuration: configuration, boundary: 1)
        let ids = try FlowFixtures.ids("ode.run", "input_ids")
        func refused(_ change: (inout SequenceSpec) -> Void, promptIDs: [Int]? = nil) throws -> Bool {
            var spec = try spec("bad", promptTokens: (promptIDs ?? ids).count, count: 1, steps: 2)
            change(&spec)
            do {
                try pipeline.entry.submit(spec, promptIDs: promptIDs ?? ids)
                pipeline.entry.release(spec.id)
                return false
            } catch is PipelineError {
                return true
            }
        }
        func flow(_ change: @escaping (inout FlowSequence) -> Void) -> (inout SequenceSpec) -> Void {
            { spec in
                guard case .flow(var flow) = spec.mode else { return }
                change(&flow)
                spec.mode = .flow(flow)
            }
        }
        #expect(try refused(flow { $0.latentSize = 12 }), "latents of another size")
        #expect(try refused(flow { $0.latentChannels = 16 }), "latents of other channels")
        #expect(try refused { $0.maxTokens = 24 }, "another image-token count")
        #expect(try refused(flow { $0.steps = 0 }))
        #expect(try refused(flow { $0.cfgWeight = .infinity }))
        #expect(try refused(flow { $0.padID = 1 << 20 }))
        #expect(try refused({ _ in }, promptIDs: [ids[0]]), "BOS alone leaves no slot for t_emb")
        #expect(try refused({ $0.mode = .image(count: 1, cfgWeight: 5, padID: 3002) }), "VQ tokens on a JanusFlow entry")
        #expect(try !refused { _ in }, "the valid one runs")

        // A Janus-Pro entry has no ShallowUViT encoder.
        let pro = try PipelineEngineTests.Pipeline(weights: Weights(try Checkpoint.open(directory: Fixtures.safetensorsModel)),
                                                   config: try JanusConfiguration.load(directory: Fixtures.safetensorsModel),
                                                   boundary: 1)
        #expect(throws: PipelineError.self) {
            try pro.entry.submit(try spec("flow-on-pro", promptTokens: ids.count, count: 1, steps: 2), promptIDs: ids)
        }
    }

    @Test func stagesRefuseFlowStepsThatDoNotMatchTheirCaches() throws {
        let pipeline = try Pipeline(weights: weights, configuration: configuration, boundary: 1)
        let ids = try FlowFixtures.ids("ode.run", "input_ids")
        try pipeline.entry.submit(try spec("s", promptTokens: ids.count, count: 1, steps: 2), promptIDs: ids)
        let stage = pipeline.stages[0]
        let prefill = try #require(pipeline.entry.nextBatch())
        #expect(prefill.slots.map(\.tokenCount) == [ids.count - 1, 1])
        _ = try stage.forward(prefill)
        var again = prefill
        again.newSequences = []
        #expect(stage.problems(in: again)["s"] != nil, "the prefix runs once")

        // An ODE step as the entry would send it, then broken variants.
        let latents = Tensor(zeros: [1, configuration.latentChannels, configuration.latentSize, configuration.latentSize])
        try pipeline.entry.validate(SequenceTokens(sequenceID: "s", tokens: [], finish: nil, step: 0, latents: latents))
        pipeline.entry.accept([SequenceTokens(sequenceID: "s", tokens: [], finish: nil, step: 0, latents: latents)])
        let step = try #require(pipeline.entry.nextBatch())
        #expect(step.slots.map(\.position) == [ids.count - 1, 1])
        #expect(step.slots.map(\.firstPosition) == [ids.count - 1, ids.count - 1])
        var wrongPosition = step
        wrongPosition.slots[1].position = 2
        var wrongStart = step
        for index in wrongStart.slots.indices { wrongStart.slots[index].firstPosition = ids.count }
        var wrongCount = step
        wrongCount.slots[0].tokenCount -= 1
        wrongCount.hidden = wrongCount.hidden.rows(1..<wrongCount.hidden.shape[0]).copy()
        for broken in [wrongPosition, wrongStart, wrongCount] {
            #expect(stage.problems(in: broken)["s"] != nil)
        }
        // The valid step runs, and runs again after rewinding (what the next step does).
        let first = try stage.forward(step)
        let second = try stage.forward(step)
        #expect(first.hidden.floats() == second.hidden.floats())
    }

    @Test func resultsThatDoNotFitAFlowSequenceAreRefused() throws {
        let pipeline = try Pipeline(weights: weights, configuration: configuration, boundary: 1)
        let ids = try FlowFixtures.ids("ode.run", "input_ids")
        try pipeline.entry.submit(try spec("s", promptTokens: ids.count, count: 1, steps: 2), promptIDs: ids)
        _ = try #require(pipeline.entry.nextBatch())
        let shape = [1, configuration.latentChannels, configuration.latentSize, configuration.latentSize]
        let bad: [SequenceTokens] = [
            SequenceTokens(sequenceID: "s", tokens: [], finish: nil, step: 0),
            SequenceTokens(sequenceID: "s", tokens: [], finish: nil, step: 0, latents: Tensor(zeros: [2] + shape.dropFirst())),
            SequenceTokens(sequenceID: "s", tokens: [3], finish: nil, step: 0, latents: Tensor(zeros: shape)),
            SequenceTokens(sequenceID: "s", tokens: [], finish: .complete, step: 0),
            SequenceTokens(sequenceID: "s", tokens: [], finish: .maxTokens, step: 0),
        ]
        for result in bad { #expect(throws: PipelineError.self) { try pipeline.entry.validate(result) } }
        try pipeline.entry.validate(SequenceTokens(sequenceID: "s", tokens: [], finish: nil, step: 0, latents: Tensor(zeros: shape)))
    }

    /// The last stage draws the noise: it checks the announced geometry itself rather
    /// than trust the stage before it.
    @Test func exitsRefuseFlowSequencesOfAnotherGeometry() throws {
        let pipeline = try Pipeline(weights: weights, configuration: configuration, boundary: 1)
        var huge = try spec("huge", promptTokens: 5, count: 64, steps: 2)
        huge.mode = .flow(FlowSequence(count: 64, cfgWeight: 2, padID: 0, steps: 2, latentChannels: 64, latentSize: 1024))
        let fine = try spec("fine", promptTokens: 5, count: 1, steps: 2)
        let vq = SequenceSpec(id: "vq", mode: .image(count: 1, cfgWeight: 5, padID: 0), sampling: .greedy, seed: 0,
                              maxTokens: 16, promptTokens: 5)
        let batch = StepBatch(stepID: 1, slots: [], hidden: Tensor(zeros: [0, configuration.language.hiddenSize]),
                              newSequences: [huge, fine, vq])
        #expect(Set(pipeline.exit.problems(in: batch).keys) == ["huge", "vq"])
    }
}
