import Foundation
import Testing
@testable import JanusText

/// The BPE model options, each through a whole tokenizer with a `WhitespaceSplit`
/// pre-tokenizer; expected ids from Python `tokenizers`.
@Suite struct BPEModelTests {
    static let wordPieceLikeVocab: [String: Int] = [
        "[UNK]": 0, "a": 1, "b": 2, "c": 3, "##a": 4, "##b": 5, "##c": 6, "##c</w>": 7, "a</w>": 8,
        "b</w>": 9, "##a</w>": 10, "##b</w>": 11, "ab": 12, "abc</w>": 13, "c</w>": 14,
    ]

    func tokenizer(_ model: [String: Any]) throws -> Tokenizer {
        var model = model
        model["type"] = "BPE"
        return try TestTokenizers.tokenizer(TestTokenizers.document(model: model, preTokenizer: ["type": "WhitespaceSplit"]))
    }

    @Test func prefixSuffixAndUnknown() throws {
        let tokenizer = try tokenizer([
            "vocab": Self.wordPieceLikeVocab, "merges": ["a ##b", "ab ##c</w>"], "unk_token": "[UNK]",
            "continuing_subword_prefix": "##", "end_of_word_suffix": "</w>", "fuse_unk": false,
        ])
        #expect(tokenizer.encode("abc") == [13])
        #expect(tokenizer.encode("ab") == [1, 11])
        #expect(tokenizer.encode("a") == [8])
        #expect(tokenizer.encode("xyz") == [0, 0, 0])
        #expect(tokenizer.encode("axxb") == [1, 0, 0, 11])
        #expect(tokenizer.encode("cab") == [3, 4, 11])
    }

    @Test func fusedUnknowns() throws {
        let tokenizer = try tokenizer([
            "vocab": Self.wordPieceLikeVocab, "merges": ["a ##b", "ab ##c</w>"], "unk_token": "[UNK]",
            "continuing_subword_prefix": "##", "end_of_word_suffix": "</w>", "fuse_unk": true,
        ])
        #expect(tokenizer.encode("axxb") == [1, 0, 11])
        #expect(tokenizer.encode("xyz") == [0])
    }

    @Test func byteFallback() throws {
        let tokenizer = try tokenizer([
            "vocab": ["<unk>": 0, "<0xC3>": 1, "<0xA9>": 2, "h": 3, "i": 4, "hi": 5, "<0xE2>": 6],
            "merges": [["h", "i"]], "unk_token": "<unk>", "byte_fallback": true,
        ])
        #expect(tokenizer.encode("hié") == [5, 1, 2])
        // "€" needs <0x82> and <0xAC>, which are missing: the unknown token instead.
        #expect(tokenizer.encode("h€i") == [3, 0, 4])
    }

    @Test func ignoreMerges() throws {
        let vocab = ["a": 0, "b": 1, "c": 2, "bc": 3, "abc": 4, "ab": 5]
        let merging = try tokenizer(["vocab": vocab, "merges": ["b c", "a b"], "ignore_merges": false])
        let direct = try tokenizer(["vocab": vocab, "merges": ["b c", "a b"], "ignore_merges": true])
        #expect(merging.encode("abc") == [0, 3])
        #expect(direct.encode("abc") == [4])
        #expect(direct.encode("abcabc") == [0, 3, 0, 3])
    }

    @Test func lowestRankMergesFirstThenLeftmost() throws {
        let tokenizer = try tokenizer(["vocab": ["a": 0, "aa": 1, "aaa": 2, "aaaa": 3], "merges": ["a a", "aa a", "aa aa"]])
        #expect(tokenizer.encode("aaaaa") == [1, 2])
        #expect(tokenizer.encode("aaaaaaa") == [3, 2])
        #expect(tokenizer.encode("aaa") == [2])
    }

    @Test func repeatedWordsUseTheCacheConsistently() throws {
        let tokenizer = try tokenizer(["vocab": ["a": 0, "aa": 1, "aaa": 2, "aaaa": 3], "merges": ["a a", "aa a", "aa aa"]])
        let once = tokenizer.encode("aaaaa")
        #expect(tokenizer.encode("aaaaa aaaaa aaaaa") == once + once + once)
    }

    @Test func mergesReferringToMissingTokensThrow() throws {
        #expect {
            _ = try tokenizer(["vocab": ["a": 0, "b": 1], "merges": ["a b"]])
        } throws: { error in
            let error = try #require(error as? TokenizerError)
            return error.kind == .missingToken && error.stage == "model" && error.description.contains("\"ab\"")
        }
        #expect(throws: TokenizerError.self) {
            _ = try tokenizer(["vocab": ["a": 0, "b": 1, "ab": 2], "merges": ["a b c"]])
        }
    }
}
