/// GPT-2's reversible byte ↔ character table (`bytes_to_unicode` in the original encoder,
/// `BYTES_CHAR`/`CHAR_BYTES` in Rust `tokenizers`).
///
/// Printable bytes (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves; the other 68 bytes are
/// mapped, in byte order, to U+0100, U+0101, … so every byte has a visible character
/// (space → `Ġ`, newline → `Ċ`).
enum ByteLevelAlphabet {
    /// The character standing for each byte value.
    static let characterForByte: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: "\0", count: 256)
        var nextExtra: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(byte) {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                // 256 + n is always a valid scalar (U+0100…U+0143).
                table[byte] = Unicode.Scalar(nextExtra) ?? "\u{FFFD}"
                nextExtra += 1
            }
        }
        return table
    }()

    /// The byte each alphabet character stands for.
    static let byteForCharacter: [Unicode.Scalar: UInt8] = {
        var map: [Unicode.Scalar: UInt8] = [:]
        for (byte, scalar) in characterForByte.enumerated() { map[scalar] = UInt8(byte) }
        return map
    }()

    private static func isPrintable(_ byte: Int) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// `text`'s UTF-8 bytes written in the alphabet.
    static func encode(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for byte in text.utf8 { output.append(characterForByte[Int(byte)]) }
        return String(output)
    }

    /// The bytes a token stands for, or nil if it uses a character outside the alphabet.
    static func bytes(of token: String) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byteForCharacter[scalar] else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
