import Foundation

/// One merge rule: the two tokens that fuse.
struct MergeRule: Sendable, Equatable {
    let left: String
    let right: String
}

/// The fields of a BPE `model` object.
struct BPEDescription: Decodable, Sendable {
    var vocab: [String: Int]
    /// In rank order (earlier merges apply first).
    var merges: [MergeRule]
    var unkToken: String?
    var continuingSubwordPrefix: String?
    var endOfWordSuffix: String?
    var fuseUnk: Bool
    var byteFallback: Bool
    var ignoreMerges: Bool
    var dropout: Double?

    private enum Keys: String, CodingKey {
        case vocab, merges, dropout
        case unkToken = "unk_token"
        case continuingSubwordPrefix = "continuing_subword_prefix"
        case endOfWordSuffix = "end_of_word_suffix"
        case fuseUnk = "fuse_unk"
        case byteFallback = "byte_fallback"
        case ignoreMerges = "ignore_merges"
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        vocab = try container.decode([String: Int].self, forKey: .vocab)
        merges = try Self.decodeMerges(container)
        unkToken = try container.decodeIfPresent(String.self, forKey: .unkToken)
        continuingSubwordPrefix = try container.decodeIfPresent(String.self, forKey: .continuingSubwordPrefix)
        endOfWordSuffix = try container.decodeIfPresent(String.self, forKey: .endOfWordSuffix)
        fuseUnk = try container.decodeIfPresent(Bool.self, forKey: .fuseUnk) ?? false
        byteFallback = try container.decodeIfPresent(Bool.self, forKey: .byteFallback) ?? false
        ignoreMerges = try container.decodeIfPresent(Bool.self, forKey: .ignoreMerges) ?? false
        dropout = try container.decodeIfPresent(Double.self, forKey: .dropout)
    }

    /// Merges come either as `"a b"` strings (the legacy format: exactly one space, and
    /// `#version` lines skipped, as in Rust `convert_merges_to_hashmap`) or as `["a", "b"]`
    /// pairs (tokenizers ≥ 0.20, needed when tokens contain spaces).
    private static func decodeMerges(_ container: KeyedDecodingContainer<Keys>) throws -> [MergeRule] {
        guard container.contains(.merges), try !container.decodeNil(forKey: .merges) else { return [] }
        if let lines = try? container.decode([String].self, forKey: .merges) {
            return try lines.filter { !$0.utf8.starts(with: "#version".utf8) }.enumerated().map { rank, line in
                // Split on the space scalar (a space followed by a combining mark is one
                // Character, which `String.split` would not cut).
                let parts = line.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw TokenizerError(.malformedJSON, stage: "model", type: "BPE",
                                         "merge \(rank + 1) \(line.debugDescription) is not two tokens separated by one space")
                }
                return MergeRule(left: String(parts[0]), right: String(parts[1]))
            }
        }
        let pairs = try container.decode([[String]].self, forKey: .merges)
        return try pairs.enumerated().map { rank, pair in
            guard pair.count == 2 else {
                throw TokenizerError(.malformedJSON, stage: "model", type: "BPE",
                                     "merge \(rank + 1) has \(pair.count) parts instead of 2")
            }
            return MergeRule(left: pair[0], right: pair[1])
        }
    }
}
