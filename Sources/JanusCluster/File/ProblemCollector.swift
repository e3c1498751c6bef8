/// Collects the problems of one cluster file, each located through the source text.
final class ProblemCollector {
    let file: String
    private let locator: SourceLocator
    private(set) var problems: [ClusterProblem] = []

    init(file: String, locator: SourceLocator) {
        self.file = file
        self.locator = locator
    }

    /// A problem with the value at `path` (file key paths, as the user wrote them).
    func report(_ path: ConfigKeyPath, _ message: String) {
        problems.append(ClusterProblem(file: file, line: locator.line(of: path),
                                       key: path.isRoot ? nil : path.description, message: message))
    }

    /// A problem between processes, keyed by process name (`stage-0.data_endpoint`) but
    /// located at the file key that caused it.
    func report(at path: ConfigKeyPath, key: String?, _ message: String) {
        problems.append(ClusterProblem(file: file, line: locator.line(of: path), key: key, message: message))
    }

    /// Throws the problems in file order (file-wide ones first), as a user reads them.
    func throwIfAny() throws(ClusterFileError) {
        guard !problems.isEmpty else { return }
        let ordered = problems.enumerated().sorted { left, right in
            (left.element.line ?? 0, left.offset) < (right.element.line ?? 0, right.offset)
        }
        throw ClusterFileError(problems: ordered.map(\.element))
    }
}
