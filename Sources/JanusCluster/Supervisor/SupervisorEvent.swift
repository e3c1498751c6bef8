/// What happened to a supervised process, in order; tests and `up`'s state file read these.
public enum SupervisorEvent: Hashable, Sendable {
    case started(name: String, pid: Int32, start: Int)
    case exited(name: String, pid: Int32, status: ExitStatus)
    case restartScheduled(name: String, delay: Duration)
    case startFailed(name: String, reason: String)
    case killed(name: String, pid: Int32)

    public var processName: String {
        switch self {
        case .started(let name, _, _), .exited(let name, _, _), .restartScheduled(let name, _),
             .startFailed(let name, _), .killed(let name, _):
            name
        }
    }
}

/// A supervised process right now.
public struct SupervisedProcessStatus: Hashable, Sendable, Codable {
    public enum State: String, Hashable, Sendable, Codable {
        case running
        /// Exited; waiting out the backoff before the next start.
        case restarting
        /// Exited and will not be started again (clean exit, or restarts disabled).
        case exited
        /// Stopped by the supervisor.
        case stopped
    }

    public let name: String
    public let state: State
    /// The current (or last) process id.
    public let pid: Int32?
    /// How many times it has been started, the first time included.
    public let starts: Int
    public let command: ProcessSpec
}
