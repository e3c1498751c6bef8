import Foundation

/// The `decoder` stage: turns model tokens back into text.
///
/// Like Rust `Decoder::decode_chain`, each decoder maps a list of token strings to a new
/// list; the tokenizer joins the final list.
protocol TokenDecoder: Sendable {
    func decodeChain(_ tokens: [String]) -> [String]
}

enum Decoders {
    static let factory = ComponentFactory<any TokenDecoder>(stage: "decoder", constructors: [
        "ByteLevel": { _ in ByteLevelDecoder() },
        "Sequence": { config in SequenceDecoder(stages: try config.components("decoders").map(makeNested)) },
        "Replace": { config in
            try ReplaceDecoder(normalizer: ReplaceNormalizer(pattern: config.pattern(),
                                                             content: config.string("content")))
        },
        "Fuse": { _ in FuseDecoder() },
        "Strip": { config in
            let content = try config.string("content")
            guard content.unicodeScalars.count == 1, let scalar = content.unicodeScalars.first else {
                throw config.error("\"content\" must be a single character")
            }
            return StripDecoder(content: scalar, start: try config.int("start"), stop: try config.int("stop"))
        },
        "ByteFallback": { _ in ByteFallbackDecoder() },
    ])

    static func make(_ value: JSONValue?) throws -> (any TokenDecoder)? {
        try factory.makeOptional(value)
    }

    private static func makeNested(_ config: ComponentConfig) throws -> any TokenDecoder {
        try factory.make(config)
    }
}

/// Byte-level alphabet back to bytes, then lossy UTF-8 (Rust `String::from_utf8_lossy` and
/// Swift's decoder both replace each maximal invalid subsequence by one U+FFFD).
/// A token with a character outside the alphabet contributes its own UTF-8 bytes.
struct ByteLevelDecoder: TokenDecoder {
    func decodeChain(_ tokens: [String]) -> [String] {
        var bytes: [UInt8] = []
        for token in tokens {
            bytes.append(contentsOf: ByteLevelAlphabet.bytes(of: token) ?? Array(token.utf8))
        }
        return [String(decoding: bytes, as: UTF8.self)]
    }
}

struct SequenceDecoder: TokenDecoder {
    let stages: [any TokenDecoder]
    func decodeChain(_ tokens: [String]) -> [String] {
        stages.reduce(tokens) { $1.decodeChain($0) }
    }
}

/// Replaces a pattern in every token.
struct ReplaceDecoder: TokenDecoder {
    let normalizer: ReplaceNormalizer
    func decodeChain(_ tokens: [String]) -> [String] { tokens.map(normalizer.normalize) }
}

/// Joins all tokens into one.
struct FuseDecoder: TokenDecoder {
    func decodeChain(_ tokens: [String]) -> [String] { [tokens.joined()] }
}

/// Removes up to `start` leading and `stop` trailing `content` characters from each token.
struct StripDecoder: TokenDecoder {
    let content: Unicode.Scalar
    let start: Int
    let stop: Int

    func decodeChain(_ tokens: [String]) -> [String] {
        tokens.map { token in
            var scalars = Array(token.unicodeScalars)
            var leading = 0
            while leading < start, leading < scalars.count, scalars[leading] == content { leading += 1 }
            scalars.removeFirst(leading)
            var trailing = 0
            while trailing < stop, trailing < scalars.count, scalars[scalars.count - 1 - trailing] == content {
                trailing += 1
            }
            scalars.removeLast(trailing)
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            return String(view)
        }
    }
}

/// `<0x41>`-style byte tokens back to text; runs that are not valid UTF-8 become one U+FFFD
/// per byte (Rust `ByteFallback`).
struct ByteFallbackDecoder: TokenDecoder {
    func decodeChain(_ tokens: [String]) -> [String] {
        var output: [String] = []
        var pending: [UInt8] = []

        func flush() {
            guard !pending.isEmpty else { return }
            if let text = String(bytes: pending, encoding: .utf8) {
                output.append(text)
            } else {
                output.append(contentsOf: repeatElement("\u{FFFD}", count: pending.count))
            }
            pending.removeAll()
        }

        for token in tokens {
            if let byte = Self.byteValue(token) {
                pending.append(byte)
            } else {
                flush()
                output.append(token)
            }
        }
        flush()
        return output
    }

    /// The byte of a `<0xAB>` token.
    private static func byteValue(_ token: String) -> UInt8? {
        let utf8 = Array(token.utf8)
        guard utf8.count == 6, token.hasPrefix("<0x"), token.hasSuffix(">") else { return nil }
        return UInt8(String(decoding: utf8[3..<5], as: UTF8.self), radix: 16)
    }
}
