import Foundation

/// The `pre_tokenizer` stage: cuts normalized text into the words the model sees.
///
/// The Rust crate applies each pre-tokenizer to every current split independently, so a
/// pre-tokenizer is a function from one piece to its sub-pieces. Empty pieces are dropped
/// (as `PreTokenizedString::split` does).
protocol PreTokenizer: Sendable {
    func split(_ piece: String) -> [String]
}

extension PreTokenizer {
    /// Applies the pre-tokenizer to each piece in turn.
    func split(_ pieces: [String]) -> [String] {
        pieces.flatMap { split($0) }
    }
}

enum PreTokenizers {
    static let factory = ComponentFactory<any PreTokenizer>(stage: "pre_tokenizer", constructors: [
        "Sequence": { config in
            SequencePreTokenizer(stages: try config.components("pretokenizers").map(makeNested))
        },
        "Split": { config in try SplitPreTokenizer(config: config) },
        "Digits": { config in
            DigitsPreTokenizer(individualDigits: try config.bool("individual_digits", default: false))
        },
        "ByteLevel": { config in
            try ByteLevelPreTokenizer(addPrefixSpace: config.bool("add_prefix_space", default: true),
                                      useRegex: config.bool("use_regex", default: true))
        },
        "Whitespace": { _ in try WhitespacePreTokenizer() },
        "WhitespaceSplit": { _ in
            PatternPreTokenizer(pattern: ScalarPredicatePattern { $0.properties.isWhitespace },
                                behavior: .removed)
        },
        "Punctuation": { config in
            PatternPreTokenizer(pattern: ScalarPredicatePattern(matches: isPunctuation),
                                behavior: try splitBehavior(config, default: .isolated))
        },
    ])

    /// Builds the pre-tokenizer described by `value`; nil when the stage is absent or null.
    static func make(_ value: JSONValue?) throws -> (any PreTokenizer)? {
        try factory.makeOptional(value)
    }

    private static func makeNested(_ config: ComponentConfig) throws -> any PreTokenizer {
        try factory.make(config)
    }

    /// The `behavior` field (`Isolated`, `Removed`, ...).
    static func splitBehavior(_ config: ComponentConfig,
                              default defaultValue: SplitDelimiterBehavior? = nil) throws -> SplitDelimiterBehavior {
        if config.optionalValue("behavior") == nil, let defaultValue { return defaultValue }
        let name = try config.string("behavior")
        guard let behavior = SplitDelimiterBehavior(rawValue: name) else {
            let known = SplitDelimiterBehavior.allCases.map(\.rawValue).joined(separator: ", ")
            throw config.error("unknown behavior \"\(name)\" (supported: \(known))")
        }
        return behavior
    }

    /// Rust `is_punc`: ASCII punctuation or a Unicode punctuation category (P*).
    @Sendable static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII, let ascii = Character(scalar).asciiValue,
           (0x21...0x2F).contains(ascii) || (0x3A...0x40).contains(ascii)
            || (0x5B...0x60).contains(ascii) || (0x7B...0x7E).contains(ascii) {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }
}

/// Applies pre-tokenizers in order.
struct SequencePreTokenizer: PreTokenizer {
    let stages: [any PreTokenizer]
    func split(_ piece: String) -> [String] {
        stages.reduce([piece]) { pieces, stage in stage.split(pieces) }
    }
}

/// Splits on any `SplitPattern` with a delimiter behavior.
struct PatternPreTokenizer<Pattern: SplitPattern>: PreTokenizer {
    let pattern: Pattern
    let behavior: SplitDelimiterBehavior
    func split(_ piece: String) -> [String] {
        PatternSplitter.split(piece, pattern: pattern, behavior: behavior)
    }
}

/// `Split`: a String or Oniguruma Regex pattern, a behavior, optionally inverted.
struct SplitPreTokenizer: PreTokenizer {
    let pattern: any SplitPattern
    let behavior: SplitDelimiterBehavior

    init(config: ComponentConfig) throws {
        let regex: OnigurumaRegex
        do {
            switch try config.pattern() {
            case .literal(let literal): regex = try OnigurumaRegex(literal: literal)
            case .regex(let source): regex = try OnigurumaRegex(oniguruma: source)
            }
        } catch var error as TokenizerError {
            error.stage = config.stage
            error.type = config.type
            throw error
        }
        pattern = try config.bool("invert", default: false) ? InvertedPattern(base: regex) : regex
        behavior = try PreTokenizers.splitBehavior(config)
    }

    func split(_ piece: String) -> [String] {
        PatternSplitter.split(piece, pattern: pattern, behavior: behavior)
    }
}

/// `Digits`: isolates numeric characters (Rust `char::is_numeric`: categories Nd, Nl, No),
/// one by one or as contiguous runs.
struct DigitsPreTokenizer: PreTokenizer {
    let individualDigits: Bool

    private static let numeric = ScalarPredicatePattern { scalar in
        switch scalar.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }

    func split(_ piece: String) -> [String] {
        PatternSplitter.split(piece, pattern: Self.numeric,
                              behavior: individualDigits ? .isolated : .contiguous)
    }
}

/// `Whitespace`: keeps runs of word characters and runs of other non-space characters
/// (Rust: split on the inverse of `\w+|[^\w\s]+`, removing what is left).
struct WhitespacePreTokenizer: PreTokenizer {
    let words: InvertedPattern

    init() throws {
        words = InvertedPattern(base: try OnigurumaRegex(oniguruma: #"\w+|[^\w\s]+"#))
    }

    func split(_ piece: String) -> [String] {
        PatternSplitter.split(piece, pattern: words, behavior: .removed)
    }
}

/// `ByteLevel`: optionally adds a leading space, optionally splits with the GPT-2 regex,
/// then rewrites every piece's UTF-8 bytes in the byte-level alphabet.
struct ByteLevelPreTokenizer: PreTokenizer {
    /// GPT-2's word pattern (Rust `ByteLevel` `RE`).
    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    let addPrefixSpace: Bool
    let wordRegex: OnigurumaRegex?

    init(addPrefixSpace: Bool, useRegex: Bool) throws {
        self.addPrefixSpace = addPrefixSpace
        wordRegex = useRegex ? try OnigurumaRegex(oniguruma: Self.gpt2Pattern) : nil
    }

    func split(_ piece: String) -> [String] {
        // Rust prepends the space to every split that does not already start with one
        // (compare scalars: a space followed by a combining mark is one Character).
        let text = addPrefixSpace && piece.unicodeScalars.first != " " ? " " + piece : piece
        let words = wordRegex.map { PatternSplitter.split(text, pattern: $0, behavior: .isolated) }
            ?? (text.isEmpty ? [] : [text])
        return words.map(ByteLevelAlphabet.encode)
    }
}
