import Foundation

/// One thing wrong with a cluster file, located as precisely as the file allows.
public struct ClusterProblem: Sendable, Equatable, CustomStringConvertible {
    /// The file as the user named it (not made absolute), so messages match the command line.
    public let file: String
    /// 1-based line of the offending key or table, when it could be found.
    public let line: Int?
    /// The key (`stages[1].layers`) or process-qualified key (`stage-0.data_endpoint`).
    public let key: String?
    public let message: String

    public init(file: String, line: Int?, key: String?, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `cluster/local.toml:14: stages[1].layers: [2, 1] is empty`
    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let key, !key.isEmpty { text += ": \(key)" }
        return text + ": " + message
    }
}

/// Everything wrong with a cluster file: validation reports all problems at once, so a
/// user fixes a file in one pass rather than one error per run.
public struct ClusterFileError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public let problems: [ClusterProblem]

    public init(problems: [ClusterProblem]) {
        self.problems = problems
    }

    public init(_ problem: ClusterProblem) {
        self.problems = [problem]
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }

    public var errorDescription: String? { description }
}
