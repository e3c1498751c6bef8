import Foundation
import JanusTestSupport

/// `janus serve …` as a child process, its stderr kept in a file.
final class ServeProcess {
    let process = Process()
    let log: URL

    init(_ arguments: [String], logIn directory: URL, name: String) throws {
        log = directory.appendingPathComponent("\(name).log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: log.path])
        }
        process.executableURL = JanusCLI.executable
        process.arguments = ["serve"] + arguments
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        try withNoSignalsBlocked { try process.run() }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stderr: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Waits up to `timeout` seconds for the process to end; its exit status, nil if it
    /// is still running.
    func waitForExit(timeout: TimeInterval = 60) -> Int32? {
        let deadline = Date() + timeout
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// SIGTERM, as the supervisor stops a process, then the exit status.
    func terminate(timeout: TimeInterval = 60) -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        return waitForExit(timeout: timeout)
    }

    /// A child inherits the spawning thread's signal mask, and the test runner's threads
    /// may block SIGTERM; a supervisor spawns with nothing blocked, and so do we.
    private func withNoSignalsBlocked(_ body: () throws -> Void) rethrows {
        var empty = sigset_t()
        var previous = sigset_t()
        sigemptyset(&empty)
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        try body()
    }
}
