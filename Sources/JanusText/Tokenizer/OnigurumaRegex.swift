import Foundation

/// A regular expression written for Oniguruma (the engine behind the Rust `tokenizers`
/// crate's `SysRegex`), compiled once with ICU through `NSRegularExpression`.
///
/// The two engines agree on almost all of the syntax used by tokenizer files; where they
/// differ the pattern is rewritten before compiling (`OnigurumaPatternTranslator`).
/// Matches are reported as ranges of `String.Index`, converted from ICU's UTF-16
/// offsets, so astral-plane characters (surrogate pairs in UTF-16) stay whole.
struct OnigurumaRegex: @unchecked Sendable {
    // NSRegularExpression is immutable after creation and documented as safe to use from
    // several threads at once, hence @unchecked Sendable.
    private let expression: NSRegularExpression
    /// The pattern as written in the tokenizer file.
    let source: String

    /// Compiles an Oniguruma pattern.
    init(oniguruma pattern: String) throws {
        let translated = OnigurumaPatternTranslator.translate(pattern)
        do {
            expression = try NSRegularExpression(pattern: translated, options: [])
        } catch {
            throw TokenizerError(.invalidConfiguration,
                                 "cannot compile regular expression \(pattern.debugDescription): \(error)")
        }
        source = pattern
    }

    /// A regex matching `literal` exactly (the Rust crate escapes `String` patterns too).
    init(literal: String) throws {
        try self.init(escapedPattern: NSRegularExpression.escapedPattern(for: literal), source: literal)
    }

    private init(escapedPattern: String, source: String) throws {
        expression = try NSRegularExpression(pattern: escapedPattern, options: [])
        self.source = source
    }

    /// The non-overlapping matches in `text`, leftmost first (empty matches included, as
    /// Oniguruma's `find_iter` reports them).
    ///
    /// ICU reports UTF-16 offsets. They are turned into indices by walking the UTF-16 view
    /// (matches come in order, so one pass), not with `Range(_:in:)`: that initializer
    /// rejects bounds inside a grapheme cluster, e.g. between "e" and a combining accent,
    /// which are legitimate match bounds here. ICU matches whole code points, so every
    /// bound is a Unicode scalar boundary.
    func matches(in text: String) -> [Range<String.Index>] {
        let utf16 = text.utf16
        let whole = NSRange(location: 0, length: utf16.count)
        var cursor = utf16.startIndex
        var cursorOffset = 0
        func index(atUTF16Offset offset: Int) -> String.Index {
            cursor = utf16.index(cursor, offsetBy: offset - cursorOffset)
            cursorOffset = offset
            return cursor
        }
        return expression.matches(in: text, options: [], range: whole).map { match in
            let lower = index(atUTF16Offset: match.range.location)
            return lower..<index(atUTF16Offset: match.range.location + match.range.length)
        }
    }
}

/// Rewrites the parts of an Oniguruma (Ruby syntax) pattern that ICU reads differently.
///
/// Checked against the Python `tokenizers` wheel (Oniguruma):
/// - `\s` is the Unicode White_Space property (it includes U+000B, U+0085, U+2028); ICU's
///   `\s` differs on some of these, so `\s`/`\S` become `\p{White_Space}`/`\P{White_Space}`,
///   inside and outside character classes.
/// - `\h`/`\H` are hexadecimal digits in Oniguruma (horizontal space in ICU).
/// - `\p{^X}` is Oniguruma's negated property; ICU spells it `\P{X}`.
/// - `.` matches anything but `\n` (ICU also stops at `\r`, U+0085, U+2028, U+2029).
/// - `^`/`$` are line anchors around `\n` only (Ruby semantics), never at the string end
///   after a final newline for `^`.
/// An escaped backslash (`\\`) is copied as is, so the character after it is never
/// mistaken for an escape.
enum OnigurumaPatternTranslator {
    static func translate(_ pattern: String) -> String {
        let scalars = Array(pattern.unicodeScalars)
        var output = String.UnicodeScalarView()
        var classDepth = 0
        var index = 0

        func append(_ text: String) { output.append(contentsOf: text.unicodeScalars) }

        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "\\" where index + 1 < scalars.count:
                let escaped = scalars[index + 1]
                index += 2
                switch escaped {
                case "s": append("\\p{White_Space}")
                case "S": append("\\P{White_Space}")
                case "h": append("\\p{ASCII_Hex_Digit}")
                case "H": append("\\P{ASCII_Hex_Digit}")
                case "p", "P":
                    // `\p{^L}` → `\P{L}` (and `\P{^L}` → `\p{L}`).
                    if index + 1 < scalars.count, scalars[index] == "{", scalars[index + 1] == "^" {
                        append(escaped == "p" ? "\\P{" : "\\p{")
                        index += 2
                    } else {
                        output.append("\\")
                        output.append(escaped)
                    }
                default:
                    output.append("\\")
                    output.append(escaped)
                }
                continue
            case "[":
                classDepth += 1
                output.append(scalar)
                // A `]` right after `[` or `[^` is a literal member in both engines; copy it so
                // it does not close the class.
                if index + 1 < scalars.count, scalars[index + 1] == "^" {
                    output.append("^")
                    index += 1
                }
                if index + 1 < scalars.count, scalars[index + 1] == "]" {
                    append("\\]")
                    index += 1
                }
            case "]" where classDepth > 0:
                classDepth -= 1
                output.append(scalar)
            case "." where classDepth == 0:
                append("[^\\n]")
            case "^" where classDepth == 0:
                append("(?:\\A|(?<=\\n)(?!\\z))")
            case "$" where classDepth == 0:
                append("(?=\\n|\\z)")
            default:
                output.append(scalar)
            }
            index += 1
        }
        return String(output)
    }
}
