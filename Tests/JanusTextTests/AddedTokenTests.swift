import Foundation
import Testing
@testable import JanusText

/// Added-token extraction (lstrip, rstrip, single_word, normalized) on the GPT-2-style
/// tokenizer with a Lowercase normalizer; expected ids and text from Python `tokenizers`.
@Suite struct AddedTokenTests {
    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try TestTokenizers.tokenizer(TestTokenizers.gpt2StyleDocument(
            normalizer: ["type": "Lowercase"],
            extraAddedTokens: [
                TestTokenizers.addedToken(281, "<mask>", lstrip: true, rstrip: true),
                TestTokenizers.addedToken(282, "[SEP]", special: false, singleWord: true),
                TestTokenizers.addedToken(283, "yesterday", special: false, normalized: true),
            ]))
    }

    @Test func lstripAndRstripSwallowWhitespace() {
        let ids = tokenizer.encode("Hi <mask> there\t<mask>\t<mask>\u{2000}")
        #expect(ids == [104, 105, 281, 116, 257, 264, 281, 281])
        #expect(tokenizer.decode(ids) == "hi<mask>there<mask><mask>")
        #expect(tokenizer.decode(ids, skipSpecialTokens: true) == "hithere")
    }

    @Test func singleWordTokensOnlyMatchAlone() {
        #expect(tokenizer.encode("a[SEP] [SEP] b[SEP]") == [97, 91, 115, 101, 112, 93, 32, 282, 32, 98, 91, 115, 101, 112, 93])
        #expect(tokenizer.encode("[SEP]_x [SEP]é") == [91, 115, 101, 112, 93, 95, 120, 32, 91, 115, 101, 112, 93, 195, 169])
        // Not special: kept when skipping special tokens.
        #expect(tokenizer.decode([32, 282, 32], skipSpecialTokens: true) == " [SEP] ")
    }

    @Test func normalizedTokensMatchNormalizedText() {
        #expect(tokenizer.encode("I read YESTERDAY") == [105, 32, 264, 97, 100, 32, 283])
    }

    @Test func leftmostLongestOnTheJanusTokenizer() throws {
        let janus = try GoldenFixtures.tokenizer()
        // "<<|User|>>": the added token starts at the second character.
        #expect(janus.encode("<<|User|>>", addSpecialTokens: false) == [27, 3010, 29])
    }

    @Test func matcherPrefersTheLongestTokenAtTheLeftmostStart() {
        let tokens = [AddedToken(id: 1, content: "ab"), AddedToken(id: 2, content: "abc"), AddedToken(id: 3, content: "bcd")]
        let matcher = AddedTokenMatcher(tokens: tokens, patterns: tokens.map(\.content))
        #expect(matcher.split("xabcd") == [.text("x"), .token(2), .text("d")])
        #expect(matcher.split("abd") == [.token(1), .text("d")])
        #expect(matcher.split("") == [])
        // Exact comparison: a decomposed "é" is not the token "é".
        let accent = [AddedToken(id: 9, content: "\u{E9}")]
        #expect(AddedTokenMatcher(tokens: accent, patterns: ["\u{E9}"]).split("e\u{301}") == [.text("e\u{301}")])
    }
}
