import Foundation
import Testing
@testable import JanusText

/// Each normalizer; expected text from Python `tokenizers` (`normalize_str`).
@Suite struct NormalizerTests {
    func normalize(_ json: String, _ text: String) throws -> String {
        let normalizer = try #require(try Normalizers.make(TestTokenizers.component(json)))
        return normalizer.normalize(text)
    }

    @Test func lowercaseIsPerCharacter() throws {
        // No final-sigma rule (String.lowercased() would give "σας").
        #expect(try normalize(#"{"type": "Lowercase"}"#, "ΣΑΣ Café ﬁ x²") == "σασ café ﬁ x²")
    }

    @Test func unicodeForms() throws {
        let decomposed = "Cafe\u{301} ﬁ x²"
        #expect(try normalize(#"{"type": "NFC"}"#, decomposed).unicodeScalars.elementsEqual("Caf\u{E9} ﬁ x²".unicodeScalars))
        #expect(try normalize(#"{"type": "NFKC"}"#, decomposed).unicodeScalars.elementsEqual("Caf\u{E9} fi x2".unicodeScalars))
        #expect(try normalize(#"{"type": "NFD"}"#, "Caf\u{E9}").unicodeScalars.elementsEqual("Cafe\u{301}".unicodeScalars))
        #expect(try normalize(#"{"type": "NFKD"}"#, "ﬁ\u{E9}").unicodeScalars.elementsEqual("fie\u{301}".unicodeScalars))
    }

    @Test func replaceStripPrepend() throws {
        #expect(try normalize(#"{"type": "Replace", "pattern": {"Regex": "\\s+"}, "content": "_"}"#, "  ab  abab \t") == "_ab_abab_")
        #expect(try normalize(#"{"type": "Replace", "pattern": {"String": "ab"}, "content": "X"}"#, "  ab  abab \t") == "  X  XX \t")
        #expect(try normalize(#"{"type": "Prepend", "prepend": "▁"}"#, "  ab") == "▁  ab")
        #expect(try normalize(#"{"type": "Prepend", "prepend": "▁"}"#, "") == "")
        #expect(try normalize(#"{"type": "Strip", "strip_left": true, "strip_right": true}"#, "  ab  abab \t") == "ab  abab")
        #expect(try normalize(#"{"type": "Strip", "strip_left": true, "strip_right": false}"#, "  ab  abab \t") == "ab  abab \t")
    }

    @Test func sequenceAndEmptySequence() throws {
        #expect(try normalize(#"{"type": "Sequence", "normalizers": [{"type": "Lowercase"}, {"type": "Strip"}]}"#, " AB ") == "ab")
        #expect(try normalize(#"{"type": "Sequence", "normalizers": []}"#, " AB ") == " AB ")
    }
}
