import JanusCheckpoint
import JanusModels
import JanusTensor
import JanusTestSupport
import Testing

/// The LLaMA decoder against `llm.text` (official Janus, float32).
@Suite struct LanguageModelTests {
    let config: JanusConfiguration
    let language: LanguageModel

    init() throws {
        config = try JanusConfiguration.load(directory: Fixtures.safetensorsModel)
        let checkpoint = try Checkpoint.open(directory: Fixtures.safetensorsModel)
        language = try LanguageModel(Weights(checkpoint).scoped("language_model"), configuration: config.language)
    }

    @Test func promptLogitsAndHiddenStatesMatchTheReference() throws {
        let ids = try GoldenTensors.ids("llm.safetensors", "llm.text.input_ids")
        let cache = language.model.makeCache()
        let slots = [SequenceSlot(cache: cache, tokenCount: ids.count)]
        let expectedHidden = try GoldenTensors.load("llm.safetensors", "llm.text.hidden_states")
        let embeddings = language.embed(ids)
        let inputs = Closeness(embeddings, expectedHidden[0], atol: 2e-4, rtol: 1e-4)
        #expect(inputs.passed, "embeddings: \(inputs)")
        var layerOutputs: [Int: Tensor] = [:]
        let hidden = language.model(embeddings, slots: slots) { layer, output in layerOutputs[layer] = output.copy() }
        // hidden_states[i] is the input of layer i (the output of layer i − 1).
        for layer in 0..<(config.language.numHiddenLayers - 1) {
            let closeness = Closeness(try #require(layerOutputs[layer]), expectedHidden[layer + 1], atol: 2e-4, rtol: 1e-4)
            #expect(closeness.passed, "layer \(layer): \(closeness)")
        }
        let normed = language.norm(hidden)
        let final = Closeness(normed, expectedHidden[config.language.numHiddenLayers], atol: 2e-4, rtol: 1e-4)
        #expect(final.passed, "final norm: \(final)")
        let logits = Closeness(language.lmHead(normed), try GoldenTensors.load("llm.safetensors", "llm.text.logits"),
                               atol: 2e-3, rtol: 1e-4)
        #expect(logits.passed, "logits: \(logits)")
        #expect(cache.length == ids.count)
    }

    @Test func kvCacheStepsMatchTheReference() throws {
        let ids = try GoldenTensors.ids("llm.safetensors", "llm.text.input_ids")
        let steps = try GoldenTensors.ids("llm.safetensors", "llm.text.step_ids")
        let expected = try GoldenTensors.load("llm.safetensors", "llm.text.step_logits")
        let cache = language.model.makeCache(capacity: 4)  // forces the cache to grow
        _ = language.model(language.embed(ids), slots: [SequenceSlot(cache: cache, tokenCount: ids.count)])
        for (index, token) in steps.enumerated() {
            let hidden = language.model(language.embed([token]), slots: [SequenceSlot(cache: cache, tokenCount: 1)])
            let closeness = Closeness(language.lmHead(language.norm(hidden)), expected[index], atol: 2e-3, rtol: 1e-4)
            #expect(closeness.passed, "step \(index): \(closeness)")
        }
        #expect(cache.length == ids.count + steps.count)
    }

    @Test func batchedRowsOfDifferentLengthsEqualSeparateRuns() throws {
        let ids = try GoldenTensors.ids("llm.safetensors", "llm.text.input_ids")
        let short = Array(ids.prefix(7))
        let (a, b) = (language.model.makeCache(), language.model.makeCache())
        let batched = language.model(language.embed(ids + short),
                                     slots: [SequenceSlot(cache: a, tokenCount: ids.count),
                                             SequenceSlot(cache: b, tokenCount: short.count)])
        let alone = language.model(language.embed(short),
                                   slots: [SequenceSlot(cache: language.model.makeCache(), tokenCount: short.count)])
        let closeness = Closeness(batched.rows(ids.count..<ids.count + short.count), alone, atol: 1e-5, rtol: 1e-5)
        #expect(closeness.passed, "\(closeness)")
    }
}
