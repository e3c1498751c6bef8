import Foundation
import JanusCluster

/// Asks a worker's loop to stop: set from a signal handler's queue or another thread,
/// read by the loop between polls (which never wait longer than
/// `WorkerLoop.maxPollMilliseconds`).
public final class ShutdownFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    public init() {}

    public var isRequested: Bool { lock.withLock { requested } }

    public func request() { lock.withLock { requested = true } }

    /// Requests shutdown on SIGTERM (what the supervisor sends) or SIGINT (Ctrl-C) for as
    /// long as the returned handle is not cancelled.
    public func requestOnTerminationSignals() -> TerminationSignals {
        TerminationSignals([SIGTERM, SIGINT]) { [self] _, _ in request() }
    }
}
