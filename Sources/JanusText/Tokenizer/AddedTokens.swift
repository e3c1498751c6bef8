import Foundation

/// An entry of `added_tokens` in `tokenizer.json`.
public struct AddedToken: Sendable, Equatable, Decodable {
    public let id: Int
    public let content: String
    /// Only match when not glued to a word character on either side.
    public let singleWord: Bool
    /// Swallow the whitespace on the left of a match.
    public let lstrip: Bool
    /// Swallow the whitespace on the right of a match.
    public let rstrip: Bool
    /// Match against normalized text (true) or raw text (false).
    public let normalized: Bool
    /// Skipped by `decode(_:skipSpecialTokens: true)`.
    public let special: Bool

    private enum Keys: String, CodingKey {
        case id, content, lstrip, rstrip, normalized, special
        case singleWord = "single_word"
    }

    public init(id: Int, content: String, singleWord: Bool = false, lstrip: Bool = false,
                rstrip: Bool = false, normalized: Bool? = nil, special: Bool = false) {
        self.id = id
        self.content = content
        self.singleWord = singleWord
        self.lstrip = lstrip
        self.rstrip = rstrip
        // Rust `AddedToken::from`: special tokens are not normalized unless asked to be.
        self.normalized = normalized ?? !special
        self.special = special
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        self.init(id: try container.decode(Int.self, forKey: .id),
                  content: try container.decode(String.self, forKey: .content),
                  singleWord: try container.decodeIfPresent(Bool.self, forKey: .singleWord) ?? false,
                  lstrip: try container.decodeIfPresent(Bool.self, forKey: .lstrip) ?? false,
                  rstrip: try container.decodeIfPresent(Bool.self, forKey: .rstrip) ?? false,
                  normalized: try container.decodeIfPresent(Bool.self, forKey: .normalized),
                  special: try container.decodeIfPresent(Bool.self, forKey: .special) ?? false)
    }
}

/// A piece of input: text still to tokenize, or an added token already recognised.
enum TextSegment: Sendable, Equatable {
    case text(String)
    case token(Int)
}

/// Finds added tokens in text (Rust `AddedVocabulary::find_matches`).
///
/// The Rust crate uses an Aho-Corasick automaton in `LeftmostLongest` mode: among the
/// tokens starting at the leftmost possible position the longest wins, and the search
/// resumes after it. A trie over Unicode scalars gives the same answer (a UTF-8 pattern
/// can only match at a scalar boundary) with exact, not canonical, comparison.
struct AddedTokenMatcher: Sendable {
    private struct Node: Sendable {
        var children: [Unicode.Scalar: Int] = [:]
        /// Index into `tokens` of the token ending here.
        var token: Int?
    }

    private let tokens: [AddedToken]
    private let nodes: [Node]

    /// `patterns[i]` is the text that `tokens[i]` matches (its content, or its normalized
    /// content). Empty patterns never match, as in Rust.
    init(tokens: [AddedToken], patterns: [String]) {
        var nodes = [Node()]
        for (index, pattern) in patterns.enumerated() where !pattern.isEmpty {
            var node = 0
            for scalar in pattern.unicodeScalars {
                if let child = nodes[node].children[scalar] {
                    node = child
                } else {
                    nodes.append(Node())
                    nodes[node].children[scalar] = nodes.count - 1
                    node = nodes.count - 1
                }
            }
            // With duplicate patterns the first token wins, like Aho-Corasick pattern order.
            if nodes[node].token == nil { nodes[node].token = index }
        }
        self.tokens = tokens
        self.nodes = nodes
    }

    var isEmpty: Bool { nodes[0].children.isEmpty }

    /// The leftmost-longest match starting at or after `from`: (start, end, token index).
    private func nextMatch(in scalars: [Unicode.Scalar], from: Int) -> (start: Int, end: Int, token: Int)? {
        var start = from
        while start < scalars.count {
            var node = 0
            var best: (end: Int, token: Int)?
            var position = start
            while position < scalars.count, let child = nodes[node].children[scalars[position]] {
                node = child
                position += 1
                if let token = nodes[node].token { best = (position, token) }
            }
            if let best { return (start, best.end, best.token) }
            start += 1
        }
        return nil
    }

    /// Cuts `text` into text and added-token segments, honouring `single_word`, `lstrip`
    /// and `rstrip`. Empty text segments are dropped.
    func split(_ text: String) -> [TextSegment] {
        guard !isEmpty, !text.isEmpty else { return text.isEmpty ? [] : [.text(text)] }
        let scalars = Array(text.unicodeScalars)
        func slice(_ range: Range<Int>) -> String {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }

        var segments: [TextSegment] = []
        var consumed = 0
        var searchFrom = 0
        while let match = nextMatch(in: scalars, from: searchFrom) {
            // The automaton resumes after its own match, even when the match is discarded
            // or rstrip swallows more text.
            searchFrom = match.end
            let token = tokens[match.token]
            var start = match.start
            var stop = match.end
            if token.singleWord {
                let gluedLeft = start > 0 && Self.isWordCharacter(scalars[start - 1])
                let gluedRight = stop < scalars.count && Self.isWordCharacter(scalars[stop])
                if gluedLeft || gluedRight { continue }
            }
            if token.lstrip {
                var newStart = start
                while newStart > 0 && scalars[newStart - 1].properties.isWhitespace { newStart -= 1 }
                // Whitespace already swallowed by the previous match stays with it.
                start = max(newStart, consumed)
            }
            if token.rstrip {
                while stop < scalars.count && scalars[stop].properties.isWhitespace { stop += 1 }
            }
            if consumed < start { segments.append(.text(slice(consumed..<start))) }
            segments.append(.token(token.id))
            consumed = stop
        }
        if consumed < scalars.count { segments.append(.text(slice(consumed..<scalars.count))) }
        return segments
    }

    /// Rust regex `\w` (Unicode): Alphabetic, marks, decimal digits, connector punctuation,
    /// join controls.
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        if properties.isAlphabetic || properties.isJoinControl { return true }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            return true
        default:
            return false
        }
    }
}

/// The two matchers of the Rust `AddedVocabulary`: tokens with `normalized: false` are found
/// in the raw input first; each remaining piece is then normalized and searched for the
/// `normalized: true` tokens (whose patterns are normalized the same way).
struct AddedVocabulary: Sendable {
    let tokens: [AddedToken]
    private let rawMatcher: AddedTokenMatcher
    private let normalizedMatcher: AddedTokenMatcher
    private let tokensByID: [Int: AddedToken]
    private let idsByContent: [ExactString: Int]
    private let specialContents: Set<ExactString>

    init(tokens: [AddedToken], normalizer: (any Normalizer)?) {
        self.tokens = tokens
        let raw = tokens.filter { !$0.normalized }
        let normalized = tokens.filter(\.normalized)
        rawMatcher = AddedTokenMatcher(tokens: raw, patterns: raw.map(\.content))
        normalizedMatcher = AddedTokenMatcher(
            tokens: normalized,
            patterns: normalized.map { normalizer?.normalize($0.content) ?? $0.content })
        var byID: [Int: AddedToken] = [:]
        var byContent: [ExactString: Int] = [:]
        for token in tokens {
            byID[token.id] = token
            byContent[ExactString(token.content)] = token.id
        }
        tokensByID = byID
        idsByContent = byContent
        specialContents = Set(tokens.filter(\.special).map { ExactString($0.content) })
    }

    func token(forID id: Int) -> AddedToken? { tokensByID[id] }
    func id(forContent content: String) -> Int? { idsByContent[ExactString(content)] }
    var contents: some Collection<ExactString> { idsByContent.keys }

    /// Rust checks special-ness by token text (`is_special_token(&str)`), not by id.
    func isSpecial(_ token: String) -> Bool { specialContents.contains(ExactString(token)) }

    /// Rust `extract_and_normalize`: added tokens recognised, the other text normalized.
    func extractAndNormalize(_ text: String, normalizer: (any Normalizer)?) -> [TextSegment] {
        rawMatcher.split(text).flatMap { segment -> [TextSegment] in
            guard case .text(let piece) = segment else { return [segment] }
            return normalizedMatcher.split(normalizer?.normalize(piece) ?? piece)
        }
    }
}
