import Foundation
import Testing
@testable import JanusText

/// Each pre-tokenizer on hand-made configurations; expected pieces from Python
/// `tokenizers` (`pre_tokenize_str`).
@Suite struct PreTokenizerTests {
    func split(_ json: String, _ text: String) throws -> [String] {
        let preTokenizer = try #require(try PreTokenizers.make(TestTokenizers.component(json)))
        return preTokenizer.split(text)
    }

    func splitRegex(_ pattern: String, _ behavior: String, invert: Bool = false, _ text: String) throws -> [String] {
        let escaped = String(data: try JSONSerialization.data(withJSONObject: [pattern], options: .fragmentsAllowed),
                             encoding: .utf8)!.dropFirst().dropLast()
        return try split(#"{"type": "Split", "pattern": {"Regex": \#(escaped)}, "behavior": "\#(behavior)", "invert": \#(invert)}"#, text)
    }

    static let behaviorCases: [(behavior: String, invert: Bool, pieces: [String])] = [
        ("Removed", false, ["Hello", "world", "2024", "ok"]),
        ("Removed", true, [",", " ", "!", " ", " "]),
        ("Isolated", false, ["Hello", ",", " ", "world", "!", " ", "2024", " ", "ok"]),
        ("Isolated", true, ["Hello", ",", " ", "world", "!", " ", "2024", " ", "ok"]),
        ("MergedWithPrevious", false, ["Hello,", " ", "world!", " ", "2024 ", "ok"]),
        ("MergedWithPrevious", true, ["Hello", ",", " world", "!", " 2024", " ok"]),
        ("MergedWithNext", false, ["Hello", ",", " world", "!", " 2024", " ok"]),
        ("MergedWithNext", true, ["Hello,", " ", "world!", " ", "2024 ", "ok"]),
        ("Contiguous", false, ["Hello", ", ", "world", "! ", "2024", " ", "ok"]),
        ("Contiguous", true, ["Hello", ", ", "world", "! ", "2024", " ", "ok"]),
    ]

    @Test(arguments: behaviorCases.indices)
    func splitBehaviors(_ index: Int) throws {
        let golden = Self.behaviorCases[index]
        #expect(try splitRegex("[ ,!]", golden.behavior, invert: golden.invert, "Hello, world! 2024 ok") == golden.pieces,
                "\(golden.behavior) invert=\(golden.invert)")
    }

    @Test func splitOnLiteralString() throws {
        #expect(try split(#"{"type": "Split", "pattern": {"String": "ab"}, "behavior": "Isolated"}"#, "xxabyyabab")
                == ["xx", "ab", "yy", "ab", "ab"])
        // Regex metacharacters in a String pattern are literal.
        #expect(try split(#"{"type": "Split", "pattern": {"String": "."}, "behavior": "Removed"}"#, "a.b.c")
                == ["a", "b", "c"])
    }

    @Test func digits() throws {
        #expect(try split(#"{"type": "Digits", "individual_digits": false}"#, "a123b45٣x") == ["a", "123", "b", "45٣", "x"])
        #expect(try split(#"{"type": "Digits", "individual_digits": true}"#, "a123b45") == ["a", "1", "2", "3", "b", "4", "5"])
    }

    @Test func byteLevelWithRegexAndPrefixSpace() throws {
        #expect(try split(#"{"type": "ByteLevel", "add_prefix_space": true, "use_regex": true}"#, "Hello world's 12  x\n")
                == ["ĠHello", "Ġworld", "'s", "Ġ12", "Ġ", "Ġx", "Ċ"])
        #expect(try split(#"{"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}"#, "Hi é") == ["HiĠÃ©"])
    }

    @Test func whitespaceAndPunctuation() throws {
        #expect(try split(#"{"type": "Whitespace"}"#, "Hi, there!  you") == ["Hi", ",", "there", "!", "you"])
        #expect(try split(#"{"type": "WhitespaceSplit"}"#, "Hi, there!\u{3000}you") == ["Hi,", "there!", "you"])
        #expect(try split(#"{"type": "Punctuation"}"#, "Hi, there!!…") == ["Hi", ",", " there", "!", "!", "…"])
    }

    @Test func sequenceAppliesStagesInOrder() throws {
        let json = #"""
        {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "\\s+$"}, "behavior": "Isolated", "invert": false},
            {"type": "Digits", "individual_digits": true}]}
        """#
        #expect(try split(json, "ab12  \ncd  ") == ["ab", "1", "2", "  ", "\ncd", "  "])
    }

    // MARK: Oniguruma vs ICU

    @Test func astralCharacterRangesFromSurrogateEscapes() throws {
        // The DeepSeek file writes U+10400…U+1044F as JSON surrogate-pair escapes.
        let json = #"{"type": "Split", "pattern": {"Regex": "[\ud801\udc00-\ud801\udc4f]+"}, "behavior": "Isolated"}"#
        #expect(try split(json, "a\u{10401}\u{10428}b😀") == ["a", "\u{10401}\u{10428}", "b😀"])
    }

    @Test func whitespaceClassIsUnicodeWhiteSpace() throws {
        // Oniguruma's \s includes U+000B and U+0085.
        #expect(try splitRegex(#"[^\s]+"#, "Removed", "a\u{0B}b\u{85}c d") == ["\u{0B}", "\u{85}", " "])
        #expect(try splitRegex(#"\s+"#, "Removed", "a\u{0B}b\u{85}c\u{A0}d\u{2028}e\u{200B}f") == ["a", "b", "c", "d", "e\u{200B}f"])
        #expect(try splitRegex(#"\S+"#, "Removed", "a\u{0B}b\u{85}c") == ["\u{0B}", "\u{85}"])
    }

    @Test func anchorsAndDotFollowRubySyntax() throws {
        // `$` before every "\n" (not "\r"), `.` matches anything but "\n".
        #expect(try splitRegex("$", "MergedWithPrevious", "ab\ncd\n") == ["ab", "\ncd", "\n"])
        #expect(try splitRegex(#"\s+$"#, "Isolated", "a  \nb  \n c  ") == ["a", "  ", "\nb", "  ", "\n c", "  "])
        #expect(try splitRegex("a.", "Removed", "a\ra\u{2028}a\nab") == ["a\n"])
        #expect(try splitRegex("^.", "Isolated", "ab\ncd\n") == ["a", "b\n", "c", "d\n"])
    }

    @Test func onigurumaOnlyEscapes() throws {
        // \h is a hexadecimal digit; \p{^N} is "not a number".
        #expect(try splitRegex(#"\h+"#, "Removed", "ab cdefg 12") == [" ", "g "])
        #expect(try splitRegex(#"\p{^N}"#, "Removed", "a1") == ["1"])
        #expect(try splitRegex(#"\P{^N}"#, "Removed", "a1") == ["a"])
        #expect(try splitRegex(#"(?i:'s|'t)"#, "Removed", "'S 'T x's") == [" ", " x"])
    }

    @Test func matchBoundsInsideAGraphemeCluster() throws {
        // "e" + U+0301 is one Character, but the regex splits between the two scalars.
        #expect(try splitRegex(#"\s?[A-Za-z]+"#, "Isolated", "  e\u{301}x").map { Array($0.unicodeScalars) }
                == [[" "], [" ", "e"], ["\u{301}"], ["x"]])
        #expect(try splitRegex("e", "Removed", "e\u{301}e\u{301}").map { Array($0.unicodeScalars) }
                == [["\u{301}"], ["\u{301}"]])
    }

    @Test func translationLeavesEscapedBackslashesAlone() {
        #expect(OnigurumaPatternTranslator.translate(#"\\s"#) == #"\\s"#)
        #expect(OnigurumaPatternTranslator.translate(#"[\s\S]"#) == #"[\p{White_Space}\P{White_Space}]"#)
        #expect(OnigurumaPatternTranslator.translate("[.$^]") == "[.$^]")
    }
}
