import Foundation
import Testing
@testable import JanusText

@Suite struct DecoderAndPostProcessorTests {
    func decoder(_ json: String) throws -> any TokenDecoder {
        try #require(try Decoders.make(TestTokenizers.component(json)))
    }

    @Test func byteLevelDecoderIsLossyUTF8() throws {
        let byteLevel = try decoder(#"{"type": "ByteLevel"}"#)
        #expect(byteLevel.decodeChain(["ðŁĺ", "Ģ"]) == ["😀"])
        #expect(byteLevel.decodeChain(["ðŁ"]) == ["\u{FFFD}"])
        #expect(byteLevel.decodeChain(["ĺĢ"]) == ["\u{FFFD}\u{FFFD}"])
        // A token with characters outside the byte alphabet keeps its own UTF-8.
        #expect(byteLevel.decodeChain(["<｜x｜>", "Ġa"]) == ["<｜x｜> a"])
    }

    @Test func sequenceReplaceFuseStripByteFallback() throws {
        let metaspaceLike = try decoder(#"""
        {"type": "Sequence", "decoders": [
            {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
            {"type": "ByteFallback"},
            {"type": "Fuse"},
            {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
        """#)
        #expect(metaspaceLike.decodeChain(["▁Hi", "▁caf", "<0xC3>", "<0xA9>", "!"]) == ["Hi café!"])
        let fallback = try decoder(#"{"type": "ByteFallback"}"#)
        #expect(fallback.decodeChain(["a", "<0xC3>", "b"]) == ["a", "\u{FFFD}", "b"])
        #expect(fallback.decodeChain(["<0xE2>", "<0x82>"]) == ["\u{FFFD}", "\u{FFFD}"])
    }

    @Test func templateProcessing() throws {
        let json = #"""
        {"type": "TemplateProcessing",
         "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                    {"SpecialToken": {"id": "</s>", "type_id": 0}}],
         "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}},
                  {"Sequence": {"id": "B", "type_id": 1}}],
         "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]},
                            "</s>": {"id": "</s>", "ids": [2], "tokens": ["</s>"]}}}
        """#
        let processor = try #require(try PostProcessors.make(TestTokenizers.component(json)))
        #expect(processor.process([7, 8], pair: nil, addSpecialTokens: true) == [1, 7, 8, 2])
        #expect(processor.process([7, 8], pair: nil, addSpecialTokens: false) == [7, 8])
        #expect(processor.process([7], pair: [9], addSpecialTokens: true) == [7, 2, 9])
        #expect(processor.process([7], pair: [9], addSpecialTokens: false) == [7, 9])
    }

    @Test func templateWithAnUndeclaredSpecialTokenThrows() throws {
        let json = #"{"type": "TemplateProcessing", "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}], "special_tokens": {}}"#
        #expect(throws: TokenizerError.self) { _ = try PostProcessors.make(TestTokenizers.component(json)) }
    }

    @Test func pairEncodingOnTheJanusTokenizer() throws {
        let janus = try GoldenFixtures.tokenizer()
        let first = janus.encode("Hello", addSpecialTokens: false)
        let second = janus.encode("world", addSpecialTokens: false)
        let bos = try #require(janus.id(forToken: "<｜begin▁of▁sentence｜>"))
        // The file's pair template: <bos> $A <bos> $B.
        #expect(janus.encode("Hello", pair: "world") == [bos] + first + [bos] + second)
    }
}
