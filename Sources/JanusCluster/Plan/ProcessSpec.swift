/// One command for the supervisor: any executable, not only `janus`, so the supervisor
/// can be tested (and reused) with plain shell scripts.
public struct ProcessSpec: Hashable, Sendable, Codable {
    /// Unique among the supervised processes; names the log file `<name>.log`.
    public let name: String
    public let executable: String
    public let arguments: [String]
    /// The child's whole environment; nil inherits the supervisor's.
    public let environment: [String: String]?

    public init(name: String, executable: String, arguments: [String], environment: [String: String]? = nil) {
        self.name = name
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
    }

    /// Executable and arguments, as `ps` would show them.
    public var commandLine: [String] { [executable] + arguments }
}
