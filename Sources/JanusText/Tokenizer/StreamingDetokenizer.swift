import Foundation

/// Turns generated ids into text as they arrive, never emitting half of a multi-byte
/// character (Rust `DecodeStream`, tokenizers ≥ 0.21).
///
/// It decodes a short window of recent ids twice: without and with the new id. If the
/// longer text ends in U+FFFD the character is incomplete and nothing is emitted yet;
/// otherwise the part after the shorter text is new. Decoding a window, rather than single
/// tokens, keeps decoders that look at neighbouring tokens correct.
public struct StreamingDetokenizer: Sendable {
    public let tokenizer: Tokenizer
    public let skipSpecialTokens: Bool
    /// Ids not yet fully emitted, preceded by some already emitted context.
    private var window: [Int] = []
    /// How many ids at the start of `window` are context only.
    private var contextCount = 0
    /// The decoded text of the context ids.
    private var contextText = ""

    public init(tokenizer: Tokenizer, skipSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// Adds one id; returns the text it completes (often empty while a character is split
    /// across tokens).
    public mutating func append(_ id: Int) -> String {
        window.append(id)
        let text = tokenizer.decode(window, skipSpecialTokens: skipSpecialTokens)
        guard text.utf8.count > contextText.utf8.count, !text.hasSuffixScalar("\u{FFFD}") else { return "" }
        let newText = Self.suffix(of: text, after: contextText)
        // The ids decoded so far become the context of the next step.
        window.removeFirst(contextCount)
        contextCount = window.count
        contextText = tokenizer.decode(window, skipSpecialTokens: skipSpecialTokens)
        return newText
    }

    /// Adds several ids; returns the text they complete.
    public mutating func append(contentsOf ids: some Sequence<Int>) -> String {
        ids.reduce(into: "") { $0 += append($1) }
    }

    /// Emits whatever is still pending (an incomplete character becomes U+FFFD) and resets.
    public mutating func finish() -> String {
        let text = tokenizer.decode(window, skipSpecialTokens: skipSpecialTokens)
        let rest = text.utf8.count > contextText.utf8.count ? Self.suffix(of: text, after: contextText) : ""
        window.removeAll()
        contextCount = 0
        contextText = ""
        return rest
    }

    /// `text` minus its leading `prefix`, compared byte for byte. If the decoder rewrote the
    /// context (it should not for byte-level decoders), only the bytes past the common
    /// prefix are returned: text already emitted cannot be taken back.
    private static func suffix(of text: String, after prefix: String) -> String {
        let textBytes = Array(text.utf8)
        var common = 0
        for byte in prefix.utf8 {
            guard common < textBytes.count, textBytes[common] == byte else { break }
            common += 1
        }
        // Step back to a scalar boundary so the result is valid UTF-8.
        while common > 0 && common < textBytes.count && textBytes[common] & 0xC0 == 0x80 { common -= 1 }
        return String(decoding: textBytes[common...], as: UTF8.self)
    }
}

extension String {
    /// Whether the last Unicode scalar is `scalar` (`hasSuffix` compares Characters).
    func hasSuffixScalar(_ scalar: Unicode.Scalar) -> Bool {
        unicodeScalars.last == scalar
    }
}
