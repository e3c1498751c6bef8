import Foundation
@testable import JanusText

/// Small `tokenizer.json` documents built in the tests. Expected outputs in the tests
/// come from the Python `tokenizers` library (0.22/0.23) run on the same documents.
enum TestTokenizers {
    /// A whole `tokenizer.json` around `model`.
    static func document(model: [String: Any], normalizer: Any? = nil, preTokenizer: Any? = nil,
                         postProcessor: Any? = nil, decoder: Any? = nil,
                         addedTokens: [[String: Any]] = []) -> [String: Any] {
        [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(),
            "added_tokens": addedTokens,
            "normalizer": normalizer ?? NSNull(),
            "pre_tokenizer": preTokenizer ?? NSNull(),
            "post_processor": postProcessor ?? NSNull(),
            "decoder": decoder ?? NSNull(),
            "model": model,
        ]
    }

    static func tokenizer(_ document: [String: Any]) throws -> Tokenizer {
        try Tokenizer(jsonData: JSONSerialization.data(withJSONObject: document))
    }

    static func addedToken(_ id: Int, _ content: String, special: Bool = true, normalized: Bool = false,
                           lstrip: Bool = false, rstrip: Bool = false, singleWord: Bool = false) -> [String: Any] {
        ["id": id, "content": content, "single_word": singleWord, "lstrip": lstrip, "rstrip": rstrip,
         "normalized": normalized, "special": special]
    }

    /// GPT-2's byte ↔ character table, written out independently of the module's
    /// `ByteLevelAlphabet` so a mistake there shows up as a mismatch.
    static func gpt2ByteCharacters() -> [Int: String] {
        var printable = Array(33...126) + Array(161...172) + Array(174...255)
        var characters = printable.map { $0 }
        var extra = 0
        for byte in 0..<256 where !printable.contains(byte) {
            printable.append(byte)
            characters.append(256 + extra)
            extra += 1
        }
        var table: [Int: String] = [:]
        for (byte, code) in zip(printable, characters) {
            table[byte] = String(Character(Unicode.Scalar(UInt32(code))!))
        }
        return table
    }

    static let gpt2Merges: [(String, String)] = [
        ("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "a"), ("e", "r"), ("o", "n"), ("Ġ", "w"),
        ("r", "e"), ("Ġa", "n"), ("Ġan", "d"), ("Ġw", "or"), ("o", "r"), ("l", "l"), ("H", "e"),
        ("He", "ll"), ("Hell", "o"), ("'", "s"), ("Ġ", "Ġ"), ("1", "2"), ("12", "3"), ("Ã", "¯"),
        ("ð", "Ł"), ("Ġ", "ðŁ"),
    ]

    /// A GPT-2-style byte-level BPE: token id = byte value for the 256 single bytes, merge
    /// results numbered from 256 in merge order, `<|endoftext|>` = 280, ByteLevel
    /// pre-tokenizer with the GPT-2 regex, ByteLevel post-processor and decoder.
    static func gpt2StyleDocument(normalizer: Any? = nil, extraAddedTokens: [[String: Any]] = [],
                                  decoder: Bool = true) -> [String: Any] {
        let characters = gpt2ByteCharacters()
        var vocab: [String: Int] = [:]
        for byte in 0..<256 { vocab[characters[byte]!] = byte }
        for (left, right) in gpt2Merges where vocab[left + right] == nil {
            vocab[left + right] = vocab.count
        }
        let byteLevel: [String: Any] = ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true,
                                        "use_regex": true]
        return document(
            model: ["type": "BPE", "dropout": NSNull(), "unk_token": NSNull(),
                    "continuing_subword_prefix": "", "end_of_word_suffix": "", "fuse_unk": false,
                    "byte_fallback": false, "ignore_merges": false, "vocab": vocab,
                    "merges": gpt2Merges.map { [$0.0, $0.1] }],
            normalizer: normalizer,
            preTokenizer: byteLevel, postProcessor: byteLevel, decoder: decoder ? byteLevel : nil,
            addedTokens: [addedToken(280, "<|endoftext|>")] + extraAddedTokens)
    }

    /// Parses one pipeline component written as JSON text.
    static func component(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }
}
