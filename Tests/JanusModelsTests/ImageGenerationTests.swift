import JanusCheckpoint
import JanusModels
import JanusTensor
import JanusTestSupport
import Testing

/// CFG image-token generation against `generation.cfg` and `generation.cfg.sampling`.
@Suite struct ImageGenerationTests {
    let generator: ImageGenerator
    let request: ImageGenerationRequest

    init() throws {
        let config = try JanusConfiguration.load(directory: Fixtures.safetensorsModel)
        let weights = Weights(try Checkpoint.open(directory: Fixtures.safetensorsModel))
        generator = ImageGenerator(
            language: try LanguageModel(weights.scoped("language_model"), configuration: config.language),
            head: try GenerationHead(weights.scoped("gen_head"), configuration: config.genHead.params),
            tokenEmbedding: try ImageTokenEmbedding(weights, configuration: config),
            padID: 3002)
        let tokens = try GoldenTensors.load("generation.safetensors", "generation.cfg.tokens")
        request = ImageGenerationRequest(promptIDs: tokens[0].integers().map(Int.init), count: 2, cfgWeight: 5,
                                         imageTokenCount: 16, sampling: .greedy)
    }

    @Test func unconditionalRowsPadTheInterior() throws {
        let tokens = try GoldenTensors.load("generation.safetensors", "generation.cfg.tokens")
        let (conditional, unconditional) = generator.promptRows(request.promptIDs)
        #expect(conditional == tokens[0].integers().map(Int.init))
        #expect(unconditional == tokens[1].integers().map(Int.init))
    }

    @Test func greedyTokensAndLogitsMatchTheReference() throws {
        let headLogits = try GoldenTensors.load("generation.safetensors", "generation.cfg.gen_head_logits_first3")
        let cfgLogits = try GoldenTensors.load("generation.safetensors", "generation.cfg.cfg_logits_first3")
        var steps: [ImageGenerationStep] = []
        let grids = try generator.generate(request) { steps.append($0) }
        let expected = try GoldenTensors.load("generation.safetensors", "generation.cfg.generated_tokens")
        #expect(grids == (0..<2).map { expected[$0].integers().map(Int.init) })
        for step in 0..<3 {
            expectClose(actual: steps[step].headLogits, expected: headLogits[step], atol: 2e-3, rtol: 1e-4, "gen_head step \(step)")
            expectClose(actual: steps[step].guidedLogits, expected: cfgLogits[step], atol: 2e-3, rtol: 1e-4, "cfg step \(step)")
        }
    }

    @Test func imageTokenEmbeddingsMatchTheReference() throws {
        let expected = try GoldenTensors.load("generation.safetensors", "generation.cfg.step0_img_embeds")
        let firstTokens = try GoldenTensors.load("generation.safetensors", "generation.cfg.generated_tokens")
            .integers().map(Int.init)
        let step0 = [firstTokens[0], firstTokens[0], firstTokens[16], firstTokens[16]]
        expectClose(actual: generator.tokenEmbedding(step0), expected: expected, atol: 2e-4, rtol: 1e-4, "gen_aligner(gen_embed)")
    }

    @Test(arguments: [(Float(1.0), "probs_T1"), (Float(0.7), "probs_T0.7")])
    func temperatureProbabilitiesMatchTheReference(temperature: Float, name: String) throws {
        let expected = try GoldenTensors.load("sampling.safetensors", "generation.cfg.sampling.\(name)")
        var guided: [Tensor] = []
        _ = try generator.generate(request) { guided.append($0.guidedLogits) }
        for step in 0..<4 {
            expectClose(actual: softmax(guided[step], temperature: temperature), expected: expected[step],
                        atol: 1e-4, rtol: 1e-3, "T=\(temperature) step \(step)")
        }
    }

    @Test func seededSamplingIsReproducibleAndSeedDependent() throws {
        var sampled = request
        sampled.sampling = SamplingOptions(temperature: 1)
        sampled.seed = 42
        let first = try generator.generate(sampled)
        #expect(try generator.generate(sampled) == first)
        sampled.seed = 43
        #expect(try generator.generate(sampled) != first)
    }

    @Test func invalidRequestsAreRefused() {
        var bad = request
        bad.count = 0
        #expect(throws: GenerationError.self) { try generator.generate(bad) }
        bad = request
        bad.cfgWeight = .nan
        #expect(throws: GenerationError.self) { try generator.generate(bad) }
        bad = request
        bad.sampling = SamplingOptions(temperature: 0)
        #expect(throws: GenerationError.self) { try generator.generate(bad) }
        bad = request
        bad.promptIDs = [999_999]
        #expect(throws: GenerationError.self) { try generator.generate(bad) }
    }
}
