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
        expectClose(actual: embeddings, expected: expectedHidden[0], atol: 2e-4, rtol: 1e-4, "embeddings")
        var layerOutputs: [Int: Tensor] = [:]
        let hidden = language.model(embeddings, slots: slots) { layer, output in layerOutputs[layer] = output.copy() }
        // hidden_states[i] is the input of layer i (the output of layer i − 1).
        for layer in 0..<(config.language.numHiddenLayers - 1) {
            expectClose(actual: try #require(layerOutputs[layer]), expected: expectedHidden[layer + 1], atol: 2e-4, rtol: 1e-4, "layer \(layer)")
        }
        let normed = language.norm(hidden)
        expectClose(actual: normed, expected: expectedHidden[config.language.numHiddenLayers], atol: 2e-4, rtol: 1e-4, "final norm")
        expectClose(actual: language.lmHead(normed), expected: try GoldenTensors.load("llm.safetensors", "llm.text.logits"),
                    atol: 2e-3, rtol: 1e-4, "logits")
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
            expectClose(actual: language.lmHead(language.norm(hidden)), expected: expected.rows(index..<index + 1), atol: 2e-3, rtol: 1e-4, "step \(index)")
        }
        #expect(cache.length == ids.count + steps.count)
    }

    /// A bf16 KV cache (what `--compute bf16` uses) against the f32 one: a prompt (the
    /// sgemm path over widened keys/values) and cached decode steps (the few-queries
    /// kernel reading bf16) move their logits by about bf16's rounding of the keys and
    /// values, and pick the same greedy tokens; an int8 cache (one scale per block of 16
    /// at this head size) by about its rounding, 1/254 of each block's largest value.
    @Test(arguments: [DType.bf16, .i8])
    func reducedCacheLogitsStayCloseToTheF32Cache(dtype reduced: DType) throws {
        let ids = try GoldenTensors.ids("llm.safetensors", "llm.text.input_ids")
        let steps = try GoldenTensors.ids("llm.safetensors", "llm.text.step_ids")
        func logits(cache dtype: DType) -> [Tensor] {
            let cache = language.model.makeCache(capacity: 4, dtype: dtype)  // forces the cache to grow
            func run(_ tokens: [Int]) -> Tensor {
                language.lmHead(language.norm(language.model(language.embed(tokens),
                                                             slots: [SequenceSlot(cache: cache, tokenCount: tokens.count)])))
            }
            let result = [run(ids)] + steps.map { run([$0]) }
            #expect(cache.dtype == dtype && cache.length == ids.count + steps.count)
            return result
        }
        let (reference, candidate) = (logits(cache: .f32), logits(cache: reduced))
        for (index, (expected, actual)) in zip(reference, candidate).enumerated() {
            let label = index == 0 ? "prompt" : "step \(index - 1)"
            // Rounding keys and values by up to 2⁻⁹ moved these logits (up to ~14) by at
            // most 0.06 when measured: 1% of the largest logit leaves room for other CPUs;
            // int8's coarser steps get 3%.
            let largest = Double(expected.floats().map(abs).max() ?? 0)
            let share = reduced == .bf16 ? 0.01 : 0.03
            expectClose(actual: actual, expected: expected, atol: share * largest, rtol: 0, "\(label)")
            let comparison = TensorComparison(actual: actual, expected: expected, atol: 0, rtol: 0)
            #expect(comparison.maxAbsoluteError > 0, "\(label): the \(reduced) cache must round something")
            for row in 0..<expected.shape[0] {
                let (e, a) = (expected[row].floats(), actual[row].floats())
                #expect(a.indices.max { a[$0] < a[$1] } == e.indices.max { e[$0] < e[$1] }, "\(label) row \(row)")
            }
        }
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
        expectClose(actual: batched.rows(ids.count..<ids.count + short.count), expected: alone, atol: 1e-5, rtol: 1e-5)
    }
}
