/// Process, node and cluster names end up in log file names, command lines and systemd
/// unit names, so they are limited to characters that are safe in all three.
enum ProcessName {
    static func problem(with name: String) -> String? {
        if name.isEmpty { return "empty name" }
        if name.count > 64 { return "\"\(name)\" is longer than 64 characters" }
        guard let first = name.first, first.isASCII && (first.isLetter || first.isNumber),
              name.allSatisfy(isAllowed) else {
            return "\"\(name)\": use letters, digits, '.', '_' and '-', starting with a letter or digit (names log files and systemd units)"
        }
        return nil
    }

    /// A usable name from a file name (`my cluster` → `my-cluster`).
    static func sanitized(_ text: String) -> String {
        let mapped = String(text.map { isAllowed($0) ? $0 : "-" })
        let trimmed = mapped.drop { !($0.isLetter || $0.isNumber) }
        return trimmed.isEmpty ? "cluster" : String(trimmed.prefix(64))
    }

    private static func isAllowed(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "._-".contains(character))
    }
}
