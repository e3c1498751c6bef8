#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
@testable import JanusCluster

/// Polls `condition` until it holds or `timeout` passes. Generous timeouts keep the
/// tests independent of machine load; a passing condition returns at once.
func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(25))
    }
    return try await condition()
}

/// A `/bin/sh -c` child for the supervisor.
func shell(_ name: String, _ script: String) -> ProcessSpec {
    ProcessSpec(name: name, executable: "/bin/sh", arguments: ["-c", script])
}

/// Alive and not a zombie: a zombie has exited, it only waits for its parent (or for an
/// init that may not reap in a container) to collect it.
func isAlive(_ pid: Int32) -> Bool {
    guard kill(pid, 0) == 0 else { return false }
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return true }
    let state = stat[stat.index(after: close)...].drop { $0 == " " }.first
    return state != "Z" && state != "X"
}

func readLines(_ url: URL) -> [String] {
    ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
}

func readText(_ url: URL) -> String {
    (try? String(contentsOf: url, encoding: .utf8)) ?? ""
}

/// Fast restarts and stops, so the tests take seconds, not minutes.
let quickConfiguration = Supervisor.Configuration(
    backoff: RestartBackoff(initialDelay: .milliseconds(50), maximumDelay: .milliseconds(400), stablePeriod: .seconds(30)),
    stopGracePeriod: .seconds(2))

/// The supervisor's console lines are for people; tests read events and log files.
let quietLogger = Logger(label: "janus.supervisor.test") { _ in SwiftLogNoOpLogHandler() }

/// A supervisor with test-friendly timing and no console output.
func makeSupervisor(_ processes: [ProcessSpec], in directory: URL,
                    configuration: Supervisor.Configuration = quickConfiguration) throws -> Supervisor {
    try Supervisor(processes: processes, logDirectory: directory.path, configuration: configuration, logger: quietLogger)
}
