/// Finds the line on which a key or table of a TOML file was written.
///
/// The TOML parser reports positions only for syntax errors, but a validation message
/// is much more useful with a line number (`cluster/local.toml:23: stages[1].layers: …`).
/// This scanner knows just enough TOML to map table headers, array-of-tables headers and
/// `key = value` lines to key paths; it skips over multi-line arrays and strings. It is
/// best effort: a path it cannot place falls back to its nearest enclosing table.
struct SourceLocator: Sendable {
    private var firstLine: [ConfigKeyPath: Int] = [:]

    init(text: String) {
        var scanner = ValueScanner()
        var table: [ConfigKeyPath.Component] = []
        var arrayCounts: [ConfigKeyPath: Int] = [:]
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            if scanner.isInsideValue {
                scanner.scan(rawLine)
                continue
            }
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[[") {
                let parts = Self.dottedKey(Self.headerContent(line.dropFirst(2), closing: "]]"))
                guard let last = parts.last else { continue }
                let arrayPath = ConfigKeyPath(Self.resolve(parts.dropLast(), arrayCounts) + [.key(last)])
                let index = arrayCounts[arrayPath, default: 0]
                arrayCounts[arrayPath] = index + 1
                table = arrayPath.components + [.index(index)]
                record(ConfigKeyPath(table), line: number)
            } else if line.hasPrefix("[") {
                table = Self.resolve(Self.dottedKey(Self.headerContent(line.dropFirst(), closing: "]"))[...],
                                     arrayCounts)
                record(ConfigKeyPath(table), line: number)
            } else if let equals = Self.assignmentIndex(in: line) {
                let keys = Self.dottedKey(line[..<equals])
                guard !keys.isEmpty else { continue }
                record(ConfigKeyPath(table + keys.map { .key($0) }), line: number)
                scanner.scan(line[line.index(after: equals)...])
            }
        }
    }

    /// The line of `path`, or of the closest enclosing key or table that was found.
    func line(of path: ConfigKeyPath) -> Int? {
        var candidate = path
        while !candidate.isRoot {
            if let line = firstLine[candidate] { return line }
            candidate = candidate.parent
        }
        return nil
    }

    private mutating func record(_ path: ConfigKeyPath, line: Int) {
        if firstLine[path] == nil { firstLine[path] = line }
    }

    /// Header keys name the latest element of an array of tables (`[stages.extra]` after
    /// `[[stages]]` means the last stage), as TOML defines.
    private static func resolve(_ parts: ArraySlice<String>,
                                _ arrayCounts: [ConfigKeyPath: Int]) -> [ConfigKeyPath.Component] {
        var components: [ConfigKeyPath.Component] = []
        for part in parts {
            components.append(.key(part))
            if let count = arrayCounts[ConfigKeyPath(components)] { components.append(.index(count - 1)) }
        }
        return components
    }

    private static func headerContent(_ text: Substring, closing: String) -> Substring {
        guard let end = text.range(of: closing) else { return text }
        return text[..<end.lowerBound]
    }

    /// The `=` of `key = value`, ignoring any inside a quoted key.
    private static func assignmentIndex(in line: Substring) -> Substring.Index? {
        var quote: Character?
        for index in line.indices {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" {
                return nil
            } else if character == "=" {
                return index
            }
        }
        return nil
    }

    /// `a."b.c".d` → ["a", "b.c", "d"].
    private static func dottedKey(_ text: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                parts.append(current.trimmed(of: " \t"))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmed(of: " \t"))
        return parts.allSatisfy(\.isEmpty) ? [] : parts
    }
}

/// Tracks whether a value continues past the end of its line (an open array or inline
/// table, a multi-line string), so such lines are not mistaken for keys or headers.
private struct ValueScanner {
    private enum State { case code, basicString, literalString, multilineBasic, multilineLiteral }
    private var state = State.code
    private var depth = 0

    var isInsideValue: Bool {
        depth > 0 || state == .multilineBasic || state == .multilineLiteral
    }

    mutating func scan(_ text: Substring) {
        var index = text.startIndex
        func starts(_ token: String) -> Bool { text[index...].hasPrefix(token) }
        while index < text.endIndex {
            let character = text[index]
            var step = 1
            switch state {
            case .code:
                if character == "#" { index = text.endIndex; continue }
                if starts("\"\"\"") { state = .multilineBasic; step = 3 }
                else if starts("'''") { state = .multilineLiteral; step = 3 }
                else if character == "\"" { state = .basicString }
                else if character == "'" { state = .literalString }
                else if character == "[" || character == "{" { depth += 1 }
                else if character == "]" || character == "}" { depth = max(0, depth - 1) }
            case .basicString:
                if character == "\\" { step = 2 } else if character == "\"" { state = .code }
            case .literalString:
                if character == "'" { state = .code }
            case .multilineBasic:
                if character == "\\" { step = 2 } else if starts("\"\"\"") { state = .code; step = 3 }
            case .multilineLiteral:
                if starts("'''") { state = .code; step = 3 }
            }
            index = text.index(index, offsetBy: step, limitedBy: text.endIndex) ?? text.endIndex
        }
        // Single-line strings cannot span lines; the parser rejects such files anyway.
        if state == .basicString || state == .literalString { state = .code }
    }
}

private extension String {
    func trimmed(of characters: String) -> String {
        let set = Set(characters)
        let trimmed = drop { set.contains($0) }
        return String(trimmed.reversed().drop { set.contains($0) }.reversed())
    }
}
