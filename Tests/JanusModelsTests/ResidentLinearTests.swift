import JanusCheckpoint
@testable import JanusModels
import JanusTensor
import JanusTestSupport
import Testing

/// The language model's linear layers copy checkpoint weights out of the mapped file
/// (into huge-page memory of their own); the text head waits for its first use.
@Suite struct ResidentLinearTests {
    let checkpoint: Checkpoint
    let config: JanusConfiguration

    init() throws {
        checkpoint = try Checkpoint.open(directory: Fixtures.safetensorsModel)
        config = try JanusConfiguration.load(directory: Fixtures.safetensorsModel)
    }

    func floatWeight(_ layer: Linear) throws -> Tensor {
        guard case .float(let weight) = layer.storage else { throw CheckpointError(file: "", reason: "quantised") }
        return weight
    }

    @Test func languageModelLayersHoldACopyOfTheMappedWeight() throws {
        let c = config.language
        let scope = "language_model.model.layers.0.mlp.gate_proj"
        let mapped = try floatWeight(Linear(Weights(checkpoint).scoped(scope), in: c.hiddenSize,
                                            out: c.intermediateSize, bias: false))
        #expect(!mapped.isWritable)
        let resident = try floatWeight(Linear(Weights(checkpoint).loadingLinears(as: .stored).scoped(scope),
                                              in: c.hiddenSize, out: c.intermediateSize, bias: false))
        #expect(resident.isWritable)
        #expect(resident.dtype == mapped.dtype && resident.shape == mapped.shape)
        #expect(Array(resident.rawBytes) == Array(mapped.rawBytes))

        let language = try LanguageModel(Weights(checkpoint).scoped("language_model"), configuration: c)
        #expect(try floatWeight(language.model.layers[0].mlp.gateProj).isWritable)
    }

    @Test func theTextHeadIsPreparedOnFirstUseAndMatchesAPlainLayer() throws {
        let c = config.language
        let language = try LanguageModel(Weights(checkpoint).scoped("language_model"), configuration: c)
        #expect(!language.lmHead.isPrepared)
        var generator = SeededGenerator(seed: 5)
        let hidden = Tensor(shape: [3, c.hiddenSize],
                            (0..<3 * c.hiddenSize).map { _ in Float.random(in: -1...1, using: &generator) })
        let logits = language.lmHead(hidden)
        #expect(language.lmHead.isPrepared)
        let plain = try Linear(Weights(checkpoint).scoped("language_model.lm_head"), in: c.hiddenSize,
                               out: c.vocabSize, bias: false)
        #expect(logits.floats() == plain(hidden).floats())
        #expect(try floatWeight(language.lmHead.linear).isWritable)
    }
}
