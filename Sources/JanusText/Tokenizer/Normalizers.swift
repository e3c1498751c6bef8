import Foundation

/// The `normalizer` stage: rewrites text before pre-tokenization. Only the text matters
/// here (no offsets are tracked), so a normalizer is a String → String function.
protocol Normalizer: Sendable {
    func normalize(_ text: String) -> String
}

enum Normalizers {
    static let factory = ComponentFactory<any Normalizer>(stage: "normalizer", constructors: [
        "Sequence": { config in
            SequenceNormalizer(stages: try config.components("normalizers").map(makeKnown))
        },
        "NFC": { _ in UnicodeNormalizer(form: .nfc) },
        "NFD": { _ in UnicodeNormalizer(form: .nfd) },
        "NFKC": { _ in UnicodeNormalizer(form: .nfkc) },
        "NFKD": { _ in UnicodeNormalizer(form: .nfkd) },
        "Lowercase": { _ in LowercaseNormalizer() },
        "Replace": { config in
            try ReplaceNormalizer(pattern: config.pattern(), content: config.string("content"))
        },
        "Prepend": { config in PrependNormalizer(prefix: try config.string("prepend")) },
        "Strip": { config in
            StripNormalizer(left: try config.bool("strip_left", default: true),
                            right: try config.bool("strip_right", default: true))
        },
    ])

    /// Builds the normalizer described by `value`; nil when the stage is absent or null.
    static func make(_ value: JSONValue?) throws -> (any Normalizer)? {
        try factory.makeOptional(value)
    }

    /// Nested components of a `Sequence` (a function, so the factory can refer to itself).
    private static func makeKnown(_ config: ComponentConfig) throws -> any Normalizer {
        try factory.make(config)
    }
}

/// Applies normalizers in order.
struct SequenceNormalizer: Normalizer {
    let stages: [any Normalizer]
    func normalize(_ text: String) -> String {
        stages.reduce(text) { $1.normalize($0) }
    }
}

/// Unicode normalization forms (Rust uses the `unicode-normalization` crate; Foundation's
/// mappings implement the same Unicode algorithm).
struct UnicodeNormalizer: Normalizer {
    enum Form: Sendable { case nfc, nfd, nfkc, nfkd }
    let form: Form

    func normalize(_ text: String) -> String {
        switch form {
        case .nfc: text.precomposedStringWithCanonicalMapping
        case .nfd: text.decomposedStringWithCanonicalMapping
        case .nfkc: text.precomposedStringWithCompatibilityMapping
        case .nfkd: text.decomposedStringWithCompatibilityMapping
        }
    }
}

/// Full Unicode lowercase, one character at a time like Rust's `char::to_lowercase`
/// (no context-dependent final-sigma rule, unlike `String.lowercased()`).
struct LowercaseNormalizer: Normalizer {
    func normalize(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return String(output)
    }
}

/// Replaces every match of a pattern by fixed content (no `$1` templates, as in Rust).
struct ReplaceNormalizer: Normalizer {
    let regex: OnigurumaRegex
    let content: String

    init(pattern: TextPattern, content: String) throws {
        switch pattern {
        case .literal(let literal): regex = try OnigurumaRegex(literal: literal)
        case .regex(let source): regex = try OnigurumaRegex(oniguruma: source)
        }
        self.content = content
    }

    func normalize(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var position = text.startIndex
        for match in regex.matches(in: text) {
            output.append(contentsOf: text.unicodeScalars[position..<match.lowerBound])
            output.append(contentsOf: content.unicodeScalars)
            position = match.upperBound
        }
        output.append(contentsOf: text.unicodeScalars[position...])
        return String(output)
    }
}

/// Prepends a prefix to non-empty text (Rust `Prepend`).
struct PrependNormalizer: Normalizer {
    let prefix: String
    func normalize(_ text: String) -> String {
        text.isEmpty ? text : prefix + text
    }
}

/// Strips Unicode White_Space (Rust `char::is_whitespace`) from either end.
struct StripNormalizer: Normalizer {
    let left: Bool
    let right: Bool

    func normalize(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        if left {
            while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        }
        if right {
            while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        }
        return String(scalars)
    }
}
