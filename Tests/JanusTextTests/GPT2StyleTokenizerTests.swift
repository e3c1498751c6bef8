import Foundation
import Testing
@testable import JanusText

/// A GPT-2-style tokenizer (ByteLevel pre-tokenizer with `use_regex: true`) to show the
/// pipeline is not specific to the DeepSeek file. Expected ids from Python `tokenizers`.
@Suite struct GPT2StyleTokenizerTests {
    struct Case: Sendable, CustomStringConvertible {
        let text: String
        let ids: [Int]
        let decodedSkippingSpecial: String
        var description: String { text.debugDescription }
    }

    static let cases = [
        Case(text: "Hello there, the world!", ids: [272, 258, 264, 44, 258, 267, 108, 100, 33],
             decodedSkippingSpecial: "Hello there, the world!"),
        Case(text: "I'm here   \n\nand there's 123 4567",
             ids: [73, 39, 109, 32, 257, 264, 274, 32, 10, 10, 97, 110, 100, 258, 264, 273, 32, 276, 32, 52, 53, 54, 55],
             decodedSkippingSpecial: "I'm here   \n\nand there's 123 4567"),
        Case(text: "<|endoftext|>The end<|endoftext|>", ids: [280, 84, 257, 32, 101, 110, 100, 280],
             decodedSkippingSpecial: "The end"),
        Case(text: "naïve café 😀 😀", ids: [110, 97, 277, 118, 101, 32, 99, 97, 102, 195, 169, 279, 152, 128, 279, 152, 128],
             decodedSkippingSpecial: "naïve café 😀 😀"),
        Case(text: "  \t tabs\u{0B}\u{85}x", ids: [274, 9, 256, 97, 98, 115, 11, 194, 133, 120],
             decodedSkippingSpecial: "  \t tabs\u{0B}\u{85}x"),
        Case(text: "it's 'S 'll", ids: [105, 116, 273, 32, 39, 83, 32, 39, 269], decodedSkippingSpecial: "it's 'S 'll"),
    ]

    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try TestTokenizers.tokenizer(TestTokenizers.gpt2StyleDocument())
    }

    @Test(arguments: cases)
    func encodes(_ golden: Case) {
        // The ByteLevel post-processor adds nothing, with or without special tokens.
        #expect(tokenizer.encode(golden.text) == golden.ids)
        #expect(tokenizer.encode(golden.text, addSpecialTokens: false) == golden.ids)
    }

    @Test(arguments: cases)
    func decodes(_ golden: Case) {
        #expect(tokenizer.decode(golden.ids, skipSpecialTokens: true) == golden.decodedSkippingSpecial)
        #expect(tokenizer.decode(golden.ids, skipSpecialTokens: false) == golden.text)
    }

    @Test func vocabularySizeCountsAddedTokens() {
        #expect(tokenizer.vocabularySize == 281)
        #expect(tokenizer.id(forToken: "<|endoftext|>") == 280)
        #expect(tokenizer.token(forID: 272) == "Hello")
    }

    @Test func decodeRunsAddedTokensThroughTheDecoder() throws {
        // Rust decodes the added token's text with its neighbours: "ĠĊx" is byte-level text.
        let document = TestTokenizers.gpt2StyleDocument(
            extraAddedTokens: [TestTokenizers.addedToken(281, "ĠĊx", special: false)])
        let tokenizer = try TestTokenizers.tokenizer(document)
        #expect(tokenizer.decode([72, 281, 105]) == "H \nxi")
        #expect(tokenizer.decode([72, 280, 0, 9999, 105]) == "H<|endoftext|>\u{0}i")
    }

    @Test func withoutDecoderTokensAreJoinedBySpaces() throws {
        let tokenizer = try TestTokenizers.tokenizer(TestTokenizers.gpt2StyleDocument(decoder: false))
        #expect(tokenizer.decode([72, 105, 280, 257, 280]) == "H i <|endoftext|> he <|endoftext|>")
        #expect(tokenizer.decode([280, 72, 105]) == "<|endoftext|> H i")
    }

    @Test func longInputIsFast() {
        // One 200 000-character word: the merge loop must not be quadratic.
        let word = String(repeating: "ab", count: 100_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = tokenizer.encode(word) }
        #expect(tokenizer.encode(word).count == 200_000)
        #expect(elapsed < .seconds(10))
    }
}
