import Foundation
import JanusTestSupport
import Testing
@testable import JanusText

@Suite struct ConfigFileTests {
    @Test func processorConfigOfTheTinyModel() throws {
        let config = try ProcessorConfig(contentsOf: GoldenFixtures.modelDirectory.appendingPathComponent("processor_config.json"))
        #expect(config.imageTag == "<image_placeholder>")
        #expect(config.numImageTokens == 36)
        #expect(config.sftFormat == "deepseek")
        #expect(config.addSpecialToken == false)
        // Not in the file: VLChatProcessor's defaults.
        #expect(config.imageStartTag == "<begin_of_image>")
        #expect(config.imageEndTag == "<end_of_image>")
    }

    @Test func processorConfigDefaults() throws {
        let config = try JSONDecoder().decode(ProcessorConfig.self, from: Data("{}".utf8))
        #expect(config == ProcessorConfig())
        #expect(config.numImageTokens == 576)
    }

    @Test func tokenizerConfigOfTheTinyModel() throws {
        let config = try TokenizerConfig(directory: GoldenFixtures.modelDirectory)
        #expect(config.bosToken == "<｜begin▁of▁sentence｜>")
        #expect(config.eosToken == "<｜end▁of▁sentence｜>")
        #expect(config.padToken == "<｜▁pad▁｜>")
        #expect(config.unkToken == nil)
        #expect(config.addBOSToken)
        #expect(!config.addEOSToken)
        #expect(config.modelMaxLength == 16384)
        #expect(config.additionalSpecialTokens.contains("<image_placeholder>"))
    }

    @Test func tokenizerConfigAcceptsTokenObjectsAndHugeLimits() throws {
        let json = #"{"bos_token": {"content": "<s>", "lstrip": false}, "eos_token": "</s>", "model_max_length": 1e30}"#
        let config = try JSONDecoder().decode(TokenizerConfig.self, from: Data(json.utf8))
        #expect(config.bosToken == "<s>")
        #expect(config.eosToken == "</s>")
        #expect(config.modelMaxLength == nil)
        #expect(config.addBOSToken)
    }

    @Test func badConfigFileNamesItself() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("processor_config.json")
        try Data(#"{"num_image_tokens": "many"}"#.utf8).write(to: url)
        #expect {
            _ = try ProcessorConfig(contentsOf: url)
        } throws: { error in
            let error = try #require(error as? TokenizerError)
            return error.file == url.path && error.stage == "processor_config"
        }
    }
}
