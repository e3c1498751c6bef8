import Foundation
import JanusModels
import JanusTestSupport
import Testing

@Suite struct ConfigurationTests {
    @Test func goldenTinyCheckpointDecodesWithItsExplicitSizes() throws {
        let config = try JanusConfiguration.load(directory: Fixtures.safetensorsModel)
        #expect(config.language.hiddenSize == 64)
        #expect(config.language.numHiddenLayers == 3)
        #expect(config.language.numKeyValueHeads == 4)
        #expect(config.language.vocabSize == 3072)
        #expect(config.language.headDim == 16)
        // Omitted like in the real files: LlamaConfig defaults.
        #expect(config.language.rmsNormEps == 1e-6)
        #expect(config.language.ropeTheta == 10000)
        #expect(config.vision.params.width == 64)
        #expect(config.vision.params.numImageTokens == 36)
        #expect(config.vision.params.selectLayer == -1)
        #expect(config.genVision.params.codebookSize == 512)
        #expect(config.genVision.params.codebookDim == 8)
        #expect(config.genVision.params.chMult == [1, 1, 2, 2, 4])
        #expect(config.genVision.params.gridSize == 4)
        #expect(config.aligner.params.kind == .mlpGELU)
        #expect(config.genHead.params.imageTokenSize == 512)
    }

    @Test func publishedJanusPro1BConfigFallsBackToRealSizes() throws {
        let config = try decode(Self.janusPro1B)
        #expect(config.vision.params.width == 1024)
        #expect(config.vision.params.layers == 24)
        #expect(config.vision.params.heads == 16)
        #expect(config.vision.params.mlpDim == 4096)
        #expect(config.vision.params.numImageTokens == 576)
        #expect(config.genVision.params.ch == 128)
        #expect(config.genVision.params.zChannels == 256)
        #expect(config.genVision.params.numResBlocks == 2)
        #expect(config.genVision.params.imageSize == 384)
        #expect(config.genVision.params.gridSize == 24)
        #expect(config.genVision.params.codebookSize == 16384)
        #expect(config.language.intermediateSize == 5632)
    }

    @Test func preprocessorConfigDecodes() throws {
        let config = try PreprocessorConfiguration.load(directory: Fixtures.safetensorsModel)
        #expect(config.imageSize == 96)
        #expect(config.minSize == 14)
        #expect(config.imageMean == [0.5, 0.5, 0.5])
        #expect(config.backgroundColor == [127, 127, 127])
        #expect(abs(config.rescaleFactor - 1 / 255) < 1e-9)
    }

    @Test func wrongModelTypeIsRejectedByName() throws {
        let error = try expectConfigurationError(Self.janusPro1B.replacingOccurrences(
            of: "\"model_type\": \"multi_modality\"", with: "\"model_type\": \"llava\""))
        #expect(error.key == "model_type")
        #expect(error.reason.contains("llava"))
    }

    @Test func missingRequiredKeyNamesItsPath() throws {
        let error = try expectConfigurationError(Self.janusPro1B.replacingOccurrences(
            of: "\"image_token_embed\": 2048,", with: ""))
        #expect(error.key == "gen_head_config.params.image_token_embed")
    }

    @Test func wrongTypeNamesItsPath() throws {
        let error = try expectConfigurationError(Self.janusPro1B.replacingOccurrences(
            of: "\"num_hidden_layers\": 24", with: "\"num_hidden_layers\": \"24\""))
        #expect(error.key == "language_config.num_hidden_layers")
    }

    @Test func inconsistentWidthsAreRejected() throws {
        let error = try expectConfigurationError(Self.janusPro1B.replacingOccurrences(
            of: "\"num_attention_heads\": 16", with: "\"num_attention_heads\": 15"))
        #expect(error.key == "language_config.num_attention_heads")
        #expect(error.reason.contains("not divisible"))
        let aligner = try expectConfigurationError(Self.janusPro1B.replacingOccurrences(
            of: "\"input_dim\": 1024", with: "\"input_dim\": 768"))
        #expect(aligner.key == "aligner_config")
    }

    @Test func malformedJSONNamesTheFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("{\"model_type\": ".utf8).write(to: directory.appendingPathComponent("config.json"))
        #expect {
            try JanusConfiguration.load(directory: directory.path)
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.file.hasSuffix("config.json") && error.description.contains("not valid JSON")
        }
    }

    @Test func missingFileNamesTheFile() {
        #expect {
            try JanusConfiguration.load(directory: "/nonexistent/model")
        } throws: { error in
            (error as? ConfigurationError)?.file == "/nonexistent/model/config.json"
        }
    }

    // MARK: Helpers

    private func decode(_ json: String) throws -> JanusConfiguration {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(json.utf8).write(to: directory.appendingPathComponent("config.json"))
        return try JanusConfiguration.load(directory: directory.path)
    }

    private func expectConfigurationError(_ json: String) throws -> ConfigurationError {
        do {
            _ = try decode(json)
        } catch let error as ConfigurationError {
            return error
        }
        Issue.record("configuration decoded although it is invalid")
        return ConfigurationError(file: "", reason: "")
    }

    /// config.json as published for deepseek-ai/Janus-Pro-1B (kept once, in ModelShape).
    static let janusPro1B = ModelShape.janusPro1B.configJSON
}

@Suite struct SyntheticWeightsTests {
    @Test func valuesAreDeterministicPerNameAndFollowTheInitRules() throws {
        let a = SyntheticWeights(seed: 7), b = SyntheticWeights(seed: 7), c = SyntheticWeights(seed: 8)
        let shape = [16, 8]
        let first = try a.tensor("layers.0.q_proj.weight", shape: shape)
        #expect(first.dtype == .bf16)
        #expect(try b.tensor("layers.0.q_proj.weight", shape: shape).floats() == first.floats())
        #expect(try c.tensor("layers.0.q_proj.weight", shape: shape).floats() != first.floats())
        #expect(try a.tensor("layers.0.k_proj.weight", shape: shape).floats() != first.floats())
        #expect(try a.tensor("layers.0.input_layernorm.weight", shape: [8]).floats() == [Float](repeating: 1, count: 8))
        #expect(try a.tensor("layers.0.q_proj.bias", shape: [8]).floats() == [Float](repeating: 0, count: 8))
        let values = first.floats()
        let std = (values.map { $0 * $0 }.reduce(0, +) / Float(values.count)).squareRoot()
        #expect(std > 0.01 && std < 0.03)
        #expect(a.tensors.map(\.name) == ["layers.0.input_layernorm.weight", "layers.0.k_proj.weight",
                                           "layers.0.q_proj.bias", "layers.0.q_proj.weight"])
    }

    @Test func conflictingShapesForOneNameAreRefused() throws {
        let weights = SyntheticWeights()
        _ = try weights.tensor("w", shape: [2, 2])
        #expect(throws: (any Error).self) { try weights.tensor("w", shape: [4]) }
    }
}

@Suite struct ModelShapeTests {
    @Test func publishedShapesDecode() throws {
        let pro1B = try ModelShape.janusPro1B.configuration
        #expect(pro1B.language.hiddenSize == 2048 && pro1B.language.numHiddenLayers == 24)
        #expect(pro1B.vision.params.width == 1024)
        #expect(pro1B.genVision.params.gridSize == 24)
        let pro7B = try ModelShape.janusPro7B.configuration
        #expect(pro7B.language.hiddenSize == 4096 && pro7B.language.numAttentionHeads == 32)
        let tiny = try ModelShape.tiny.configuration
        #expect(tiny.genVision.params.imageSize == 384)
        #expect(tiny.language.vocabSize == 3072)
    }
}
