import Foundation

/// A worker service running on a thread of its own: how tests (and anything embedding
/// workers in one process) start and stop them. `janus serve` runs the loop on the main
/// thread instead.
public final class BackgroundWorker: @unchecked Sendable {
    private let shutdown = ShutdownFlag()
    private let finished = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var failure: (any Error)?
    private var running = true

    /// Starts `service.run(until:)` at once.
    public init(_ service: any WorkerService) {
        let thread = Thread { [self] in
            do {
                try service.run(until: shutdown)
            } catch {
                lock.withLock { failure = error }
            }
            lock.withLock { running = false }
            finished.signal()
        }
        thread.name = service.settings.name
        // The models' kernels run on this thread: give it a main thread's stack.
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Why the loop ended early, if it did.
    public var error: (any Error)? { lock.withLock { failure } }
    public var isRunning: Bool { lock.withLock { running } }

    /// Asks the loop to stop and waits for it; false if it did not end within `timeout`.
    @discardableResult
    public func stop(timeout: TimeInterval = 30) -> Bool {
        shutdown.request()
        guard isRunning else { return true }
        guard finished.wait(timeout: .now() + timeout) == .success else { return false }
        finished.signal()  // for any later `stop`
        return true
    }
}
