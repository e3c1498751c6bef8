import Foundation
import JanusServe
import JanusWire

/// The router's status, asked in this process (a `janus router status` per poll would
/// be too slow to catch a request in the act). Used by one thread.
final class RouterProbe {
    private let context: ZMQContext
    private let client: RouterClient

    init(endpoint: String) throws {
        context = try ZMQContext()
        client = try RouterClient(endpoint: endpoint, context: context)
    }

    func status() throws -> StatusReply { try client.status(timeout: 10) }

    func process(_ name: String) throws -> ProcessStatus? {
        try status().processes.first { $0.name == name }
    }

    func kind(_ name: String) throws -> ClassStatus? {
        try status().classes.first { $0.name == name }
    }
}

/// Jobs running on their own threads while the test thread does something else.
final class Background<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var results: [Result<T, any Error>]?

    init(_ jobs: [@Sendable () throws -> T]) {
        let thread = Thread { [self] in
            let finished = Processes.parallel(jobs)
            lock.lock()
            results = finished
            lock.unlock()
            done.signal()
        }
        thread.start()
    }

    /// The results in job order, or nil if they are not all in within `timeout` seconds.
    func wait(timeout: TimeInterval) -> [Result<T, any Error>]? {
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        done.signal()  // later calls return at once
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}

/// A `janus` client run's outcome with how long it took.
struct TimedRun: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String
    let seconds: TimeInterval
}
