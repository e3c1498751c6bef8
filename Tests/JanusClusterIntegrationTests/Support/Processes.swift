#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import JanusCluster
import JanusTestSupport

/// Child processes for the integration tests: long-running ones (supervisors) with
/// their output in a file, short tools with their output captured, liveness checks,
/// and running several blocking jobs at once on their own threads.
enum Processes {
    /// Starts `executable` with `arguments`, stdout and stderr appended to `log`, stdin
    /// empty. Spawned with no signal blocked (see `SignalMask`): the test runner's
    /// threads block SIGTERM, and a supervisor that inherited that would never stop.
    static func spawn(_ executable: String, _ arguments: [String], log: URL,
                      environment: [String: String]? = nil) throws -> Process {
        if !FileManager.default.fileExists(atPath: log.path) {
            guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: log.path])
            }
        }
        let output = try FileHandle(forWritingTo: log)
        output.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try SignalMask.withNothingBlocked { try process.run() }
        try? output.close()
        return process
    }

    struct ToolResult: Sendable {
        let status: Int32
        let output: String
        var succeeded: Bool { status == 0 }
    }

    /// Runs a short tool (e.g. `ip`) to the end; stdout and stderr together.
    static func run(_ executable: String, _ arguments: [String]) -> ToolResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        do {
            try SignalMask.withNothingBlocked { try process.run() }
        } catch {
            return ToolResult(status: -1, output: "cannot run \(executable): \(error)")
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ToolResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Alive and not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        ProcessIdentity.of(pid: pid) != nil
    }

    /// Waits up to `timeout` seconds for `process` to exit; true if it did.
    @discardableResult
    static func waitForExit(_ process: Process, timeout: TimeInterval) -> Bool {
        poll(timeout: timeout, interval: 0.05) { !process.isRunning }
    }

    /// Polls `condition` every `interval` seconds until it holds or `timeout` passes;
    /// whether it held.
    @discardableResult
    static func poll(timeout: TimeInterval, interval: TimeInterval = 0.1, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date() + timeout
        while Date() < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: interval)
        }
        return try condition()
    }

    /// Runs every job at once, each on its own thread (the jobs block on child
    /// processes; the cooperative pool of a 2-core machine would run them two at a
    /// time), and returns their results in order.
    static func parallel<T: Sendable>(_ jobs: [@Sendable () throws -> T]) -> [Result<T, any Error>] {
        let results = LockedArray<Result<T, any Error>?>(repeating: nil, count: jobs.count)
        let group = DispatchGroup()
        for (index, job) in jobs.enumerated() {
            group.enter()
            let thread = Thread {
                results.set(index, Result { try job() })
                group.leave()
            }
            thread.stackSize = 4 << 20
            thread.start()
        }
        group.wait()
        return results.values.map { $0! }
    }
}

/// An array several threads write to, each its own slot.
final class LockedArray<Element>: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Element]

    init(repeating value: Element, count: Int) { storage = Array(repeating: value, count: count) }

    func set(_ index: Int, _ value: Element) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Element] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}

/// Free TCP ports on the loopback interface, held open together while they are chosen
/// so that they differ (another process may still take one before the cluster binds it,
/// which is why each test picks fresh ones).
enum FreePorts {
    static func take(_ count: Int) throws -> [Int] {
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }
        var ports: [Int] = []
        for _ in 0..<count {
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
            sockets.append(descriptor)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let named = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
            }
            guard named == 0 else { throw POSIXError(.EINVAL) }
            ports.append(Int(UInt16(bigEndian: address.sin_port)))
        }
        return ports
    }
}
