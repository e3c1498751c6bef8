import JanusCheckpoint
import JanusModels
import JanusServe
import JanusTensor
import JanusTestSupport
import Testing

/// The pipeline engines chained in one process (no sockets): continuous batching of a
/// CFG generation and an understanding answer across two stages must give exactly the
/// single-process results.
@Suite struct PipelineEngineTests {
    let config: JanusConfiguration
    let weights: Weights
    let model: JanusModel

    init() throws {
        config = try JanusConfiguration.load(directory: Fixtures.safetensorsModel)
        weights = Weights(try Checkpoint.open(directory: Fixtures.safetensorsModel))
        model = try JanusModel(weights: weights, configuration: config)
    }

    /// Entry, stages split at `boundary`, exit, stepped until every sequence finished.
    final class Pipeline {
        let entry: PipelineEntry
        let stages: [PipelineStage]
        let exit: PipelineExit
        var produced: [String: [SequenceTokens]] = [:]

        init(weights: Weights, config: JanusConfiguration, boundary: Int) throws {
            let lm = weights.scoped("language_model")
            entry = PipelineEntry(
                embedTokens: try lm("model.embed_tokens.weight", shape: [config.language.vocabSize, config.language.hiddenSize]),
                imageTokenEmbedding: try ImageTokenEmbedding(weights, configuration: config),
                maxPositions: config.language.maxPositionEmbeddings)
            let layers = config.language.numHiddenLayers
            stages = try [0..<boundary, boundary..<layers].map {
                PipelineStage(stack: try LlamaDecoderStack(lm.scoped("model"), configuration: config.language, layers: $0))
            }
            exit = PipelineExit(
                norm: try RMSNorm(lm.scoped("model.norm"), dimensions: config.language.hiddenSize, eps: config.language.rmsNormEps),
                lmHead: try LanguageModel.textHead(lm, configuration: config.language),
                generationHead: try GenerationHead(weights.scoped("gen_head"), configuration: config.genHead.params))
        }

        func runUntilIdle(beforeStep: (Int) throws -> Void = { _ in }) throws {
            var step = 0
            while true {
                try beforeStep(step)
                step += 1
                guard var batch = entry.nextBatch() else { return }
                for stage in stages { batch = try stage.forward(batch) }
                let sampled = try exit.sample(batch)
                for result in sampled {
                    produced[result.sequenceID, default: []].append(result)
                    if result.finish != nil { for stage in stages { stage.release(result.sequenceID) } }
                }
                entry.accept(sampled)
            }
        }
    }

    @Test func interleavedGenerationAndUnderstandingMatchTheSingleProcessResults() throws {
        let pipeline = try Pipeline(weights: weights, config: config, boundary: 2)
        let generationIDs = try GoldenTensors.ids("generation.safetensors", "generation.cfg.tokens")
        let prompt = Array(generationIDs.prefix(generationIDs.count / 4))
        try pipeline.entry.submit(
            SequenceSpec(id: "gen", mode: .image(count: 2, cfgWeight: 5, padID: 3002), sampling: .greedy, seed: 0,
                         maxTokens: 16, promptTokens: prompt.count),
            promptIDs: prompt)

        // The understanding request joins after three generation steps.
        let file = "understanding.safetensors", name = "understanding.single_image"
        let ids = try GoldenTensors.ids(file, "\(name).input_ids")
        let mask = try GoldenTensors.ids(file, "\(name).images_seq_mask")
        let imageEmbeddings = try GoldenTensors.load(file, "\(name).image_embeds")
        try pipeline.runUntilIdle { step in
            guard step == 3 else { return }
            try pipeline.entry.submit(
                SequenceSpec(id: "ask", mode: .text(stopTokenIDs: [3001]), sampling: .greedy, seed: 0,
                             maxTokens: 20, promptTokens: ids.count),
                promptIDs: ids, imageEmbeddings: imageEmbeddings,
                imagePositions: mask.indices.filter { mask[$0] == 1 })
        }

        let expectedGrids = try GoldenTensors.load("generation.safetensors", "generation.cfg.generated_tokens")
        let steps = try #require(pipeline.produced["gen"])
        #expect(steps.count == 16 && steps.last?.finish == .maxTokens)
        for image in 0..<2 {
            #expect(steps.map { $0.tokens[image] } == expectedGrids[image].integers().map(Int.init))
        }
        let answer = try #require(pipeline.produced["ask"])
        #expect(answer.flatMap(\.tokens) == (try GoldenTensors.ids(file, "\(name).generated_ids")))
        #expect(pipeline.entry.activeSequences == 0)
        #expect(pipeline.stages.allSatisfy { $0.activeSequences == 0 })
    }

    @Test func stagesRefuseStepsThatDoNotMatchTheirState() throws {
        let pipeline = try Pipeline(weights: weights, config: config, boundary: 1)
        try pipeline.entry.submit(SequenceSpec(id: "s", mode: .text(stopTokenIDs: []), sampling: .greedy, seed: 0,
                                               maxTokens: 2, promptTokens: 3), promptIDs: [3000, 39, 2636])
        var batch = try #require(pipeline.entry.nextBatch())
        var unknown = batch
        unknown.newSequences = []
        unknown.slots[0].sequenceID = "other"
        #expect(throws: PipelineError.self) { try pipeline.stages[0].forward(unknown) }
        var wrongPosition = batch
        wrongPosition.slots[0].position = 5
        #expect(throws: PipelineError.self) { try pipeline.stages[0].forward(wrongPosition) }
        var wrongShape = batch
        wrongShape.hidden = Tensor(zeros: [2, config.language.hiddenSize])
        #expect(throws: PipelineError.self) { try pipeline.stages[0].forward(wrongShape) }
        batch = try pipeline.stages[0].forward(batch)  // the valid one still works
        #expect(batch.hidden.shape == [3, config.language.hiddenSize])
    }

    @Test func badSubmissionsAreRefused() throws {
        let pipeline = try Pipeline(weights: weights, config: config, boundary: 1)
        let spec = SequenceSpec(id: "s", mode: .text(stopTokenIDs: []), sampling: .greedy, seed: 0, maxTokens: 2, promptTokens: 2)
        #expect(throws: PipelineError.self) { try pipeline.entry.submit(spec, promptIDs: [3000]) }
        #expect(throws: PipelineError.self) { try pipeline.entry.submit(spec, promptIDs: [3000, 99_999]) }
        #expect(throws: PipelineError.self) {
            try pipeline.entry.submit(spec, promptIDs: [3000, 39], imagePositions: [7])
        }
        try pipeline.entry.submit(spec, promptIDs: [3000, 39])
        #expect(throws: PipelineError.self) { try pipeline.entry.submit(spec, promptIDs: [3000, 39]) }
    }
}
