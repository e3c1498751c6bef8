import Foundation
import JanusModels
import JanusTestSupport
import Testing

@Suite struct FlowConfigurationTests {
    @Test func tinyCheckpointDecodesWithItsExplicitSizes() throws {
        let c = try JanusFlowConfiguration.load(directory: FlowFixtures.model)
        #expect(c.language.hiddenSize == 64 && c.language.numHiddenLayers == 3)
        #expect(c.understandingVision.params.width == 48 && c.understandingVision.params.numImageTokens == 36)
        #expect(c.generationEncoder.params.width == 32 && c.generationEncoder.params.kernelSize == 2)
        #expect(c.generationDecoder.params.midWidth == 80 && c.generationDecoder.params.upsamples == 1)
        #expect(c.latentSize == 10 && c.gridSize == 5 && c.imageTokenCount == 25)
        #expect(c.decoderAlignerOut == 48 && c.beginOfUnderstandingDim == 64)
    }

    @Test func realConfigFallsBackToTheRealSizes() throws {
        let c = try FlowModelShape.janusFlow1_3B.configuration
        #expect(c.understandingVision.params.width == 1024 && c.understandingVision.params.layers == 24)
        #expect(c.understandingVision.params.numImageTokens == 576)
        #expect(c.understandingAlignerIn == 1024 && c.understandingAlignerOut == 2048)
        #expect(c.encoderAlignerIn == 768 && c.encoderAlignerOut == 2048)
        #expect(c.decoderAlignerIn == 2048 && c.decoderAlignerOut == 768 && c.decoderAlignerNormDim == 2048)
        #expect(c.latentChannels == 4 && c.latentSize == 48 && c.gridSize == 24 && c.imageTokenCount == 576)
        #expect(c.generationDecoder.params.midWidth == 1536)
        #expect(try FlowModelShape.tiny.configuration == JanusFlowConfiguration.load(directory: FlowFixtures.model))
    }

    @Test func inconsistentWidthsAreNamed() throws {
        let text = try String(contentsOfFile: FlowFixtures.model + "/config.json", encoding: .utf8)
        let broken = text.replacingOccurrences(of: "\"gen_dec_aligner_out_features\": 48",
                                               with: "\"gen_dec_aligner_out_features\": 40")
        #expect(broken != text)
        let error = try #require(throws: ConfigurationError.self) { try Self.decode(broken) }
        #expect(error.key == "gen_dec_aligner_out_features")
        #expect(error.reason.contains("in_channels 48"))
    }

    @Test func modelKindIsToldFromConfigJSON() throws {
        #expect(try ModelKind.detect(directory: FlowFixtures.model) == .janusFlow)
        #expect(try ModelKind.detect(directory: FlowFixtures.vae) == .vae)
        #expect(try ModelKind.detect(directory: Fixtures.safetensorsModel) == .janus)
        let error = try #require(throws: ConfigurationError.self) { try ModelKind.detect(directory: "/nonexistent") }
        #expect(error.file == "/nonexistent/config.json")
    }

    @Test func vaeConfigurationRefusesUnsupportedBlocks() throws {
        let text = try String(contentsOfFile: FlowFixtures.vae + "/config.json", encoding: .utf8)
        let broken = text.replacingOccurrences(of: "\"UpDecoderBlock2D\",\n    \"UpDecoderBlock2D\"\n",
                                               with: "\"UpDecoderBlock2D\",\n    \"AttnUpDecoderBlock2D\"\n")
        #expect(broken != text)
        let directory = try Fixtures.temporaryDirectory("janus-vae-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        try broken.write(to: directory.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        let error = try #require(throws: ConfigurationError.self) {
            try AutoencoderKLConfiguration.load(directory: directory.path)
        }
        #expect(error.key == "up_block_types")
    }

    static func decode(_ text: String) throws -> JanusFlowConfiguration {
        let directory = try Fixtures.temporaryDirectory("janus-flow-config")
        defer { try? FileManager.default.removeItem(at: directory) }
        try text.write(to: directory.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        return try JanusFlowConfiguration.load(directory: directory.path)
    }
}
