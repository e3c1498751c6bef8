/// Reads the keys of one TOML table with their expected types, reporting wrong types,
/// missing required keys and — when `finish()` is called — every key nobody asked for,
/// so a typo (`replica = 2`) is an error instead of a silently ignored setting.
final class TableReader {
    let path: ConfigKeyPath
    private let entries: [String: ConfigValue]
    private let problems: ProblemCollector
    private var consumed: Set<String> = []

    init(_ entries: [String: ConfigValue], at path: ConfigKeyPath, problems: ProblemCollector) {
        self.entries = entries
        self.path = path
        self.problems = problems
    }

    func contains(_ key: String) -> Bool { entries[key] != nil }

    func string(_ key: String, required: Bool = false) -> String? {
        read(key, required: required, expected: "a string") {
            if case .string(let value) = $0 { value } else { nil }
        }
    }

    func integer(_ key: String, required: Bool = false) -> Int? {
        read(key, required: required, expected: "an integer") {
            if case .integer(let value) = $0 { value } else { nil }
        }
    }

    /// A float key also takes an integer (`understanding_share = 0` is fine).
    func number(_ key: String, required: Bool = false) -> Double? {
        read(key, required: required, expected: "a number") {
            switch $0 {
            case .float(let value): value
            case .integer(let value): Double(value)
            default: nil
            }
        }
    }

    func boolean(_ key: String, required: Bool = false) -> Bool? {
        read(key, required: required, expected: "a boolean") {
            if case .boolean(let value) = $0 { value } else { nil }
        }
    }

    func integers(_ key: String, required: Bool = false) -> [Int]? {
        read(key, required: required, expected: "an array of integers") { value in
            guard case .array(let items) = value else { return nil }
            let numbers = items.compactMap { item -> Int? in
                if case .integer(let number) = item { number } else { nil }
            }
            return numbers.count == items.count ? numbers : nil
        }
    }

    func strings(_ key: String, required: Bool = false) -> [String]? {
        read(key, required: required, expected: "an array of strings") { value in
            guard case .array(let items) = value else { return nil }
            let texts = items.compactMap { item -> String? in
                if case .string(let text) = item { text } else { nil }
            }
            return texts.count == items.count ? texts : nil
        }
    }

    /// A sub-table (`[router]`, `[policy]`).
    func table(_ key: String, required: Bool = false) -> TableReader? {
        read(key, required: required, expected: "a table") { value in
            guard case .table(let entries) = value else { return nil }
            return TableReader(entries, at: path.appending(key), problems: problems)
        }
    }

    /// An array of tables (`[[stages]]`); absent means empty.
    func tables(_ key: String) -> [TableReader] {
        read(key, required: false, expected: "an array of tables ([[\(key)]])") { value in
            guard case .array(let items) = value else { return nil }
            var readers: [TableReader] = []
            for (index, item) in items.enumerated() {
                guard case .table(let entries) = item else { return nil }
                readers.append(TableReader(entries, at: path.appending(key).appending(index: index),
                                           problems: problems))
            }
            return readers
        } ?? []
    }

    /// Reports a problem with one of this table's keys (or the table itself for nil).
    func report(_ key: String?, _ message: String) {
        problems.report(key.map(path.appending) ?? path, message)
    }

    /// Reports every key that was never read. Call once all known keys have been read.
    func finish() {
        for key in entries.keys.sorted() where !consumed.contains(key) {
            var message = "unknown key"
            if let suggestion = closestKey(to: key, among: knownKeys) { message += " (did you mean \(suggestion)?)" }
            problems.report(path.appending(key), message)
        }
    }

    /// Every key asked for, present or not: the candidates for "did you mean".
    private var knownKeys: Set<String> = []

    private func read<T>(_ key: String, required: Bool, expected: String,
                         _ extract: (ConfigValue) -> T?) -> T? {
        knownKeys.insert(key)
        guard let value = entries[key] else {
            if required { problems.report(path.appending(key), "missing (required)") }
            return nil
        }
        consumed.insert(key)
        guard let result = extract(value) else {
            problems.report(path.appending(key), "expected \(expected), found \(value.kindDescription) \(value.tomlText)")
            return nil
        }
        return result
    }
}

/// The known key a typo most likely meant: within two edits, or one for short keys.
func closestKey(to key: String, among candidates: Set<String>) -> String? {
    let scored = candidates.map { ($0, editDistance(key, $0)) }
    let limit = key.count <= 4 ? 1 : 2
    return scored.filter { $0.1 <= limit }.min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
}

/// Levenshtein distance, for typo suggestions on short keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        previous = current
    }
    return previous[b.count]
}
