import Foundation

/// What a running `janus cluster up` leaves in the log directory, so `janus cluster
/// down` can find it — and, if the supervisor itself was killed, the processes it left.
public struct SupervisorState: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        public let name: String
        /// Nil while the process is not running (between a crash and its restart).
        public let process: ProcessIdentity?
        public let commandLine: [String]

        public init(name: String, process: ProcessIdentity?, commandLine: [String]) {
            self.name = name
            self.process = process
            self.commandLine = commandLine
        }
    }

    /// The supervisor (`janus cluster up`) itself.
    public let supervisor: ProcessIdentity
    public let clusterFile: String
    public let nodes: [String]
    public var processes: [Entry]

    public init(supervisor: ProcessIdentity, clusterFile: String, nodes: [String], processes: [Entry]) {
        self.supervisor = supervisor
        self.clusterFile = clusterFile
        self.nodes = nodes
        self.processes = processes
    }

    public var isSupervisorRunning: Bool { supervisor.isRunning }

    /// Recorded processes that are still running (the same processes, not reused pids).
    public var runningProcesses: [Entry] {
        processes.filter { $0.process?.isRunning ?? false }
    }
}

/// `<log directory>/supervisor-<node>.json`, one per node a supervisor runs (JSON).
public struct SupervisorStateFile: Sendable, Hashable {
    public let url: URL

    public init(logDirectory: String, node: String) {
        url = URL(fileURLWithPath: logDirectory).appendingPathComponent("supervisor-\(node).json")
    }

    private init(url: URL) {
        self.url = url
    }

    /// Every state file in a log directory.
    public static func all(in logDirectory: String) -> [SupervisorStateFile] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: logDirectory)) ?? []
        return names.filter { $0.hasPrefix("supervisor-") && $0.hasSuffix(".json") }.sorted().map {
            SupervisorStateFile(url: URL(fileURLWithPath: logDirectory).appendingPathComponent($0))
        }
    }

    /// Nil when there is no file or it cannot be understood.
    public func read() -> SupervisorState? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        return try? JSONDecoder().decode(SupervisorState.self, from: data)
    }

    /// Written to a temporary file and renamed, so a reader never sees half a file.
    public func write(_ state: SupervisorState) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(state).write(to: url, options: .atomic)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
