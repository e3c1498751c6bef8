#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import JanusCluster
import JanusTestSupport

/// A real cluster for one test: its cluster file in a fresh temporary directory, one
/// `janus cluster up FILE --model DIR [--node NODE]` supervisor per started node
/// (optionally inside a network namespace), and a teardown that leaves nothing behind:
/// `janus cluster down`, then SIGKILL to any supervisor or process group that is still
/// there. Used by one test thread.
final class LiveCluster {
    let layout: ClusterLayout
    let directory: URL
    let file: String
    let spec: ClusterSpec
    private(set) var supervisors: [(node: String, process: Process, log: URL)] = []
    /// Every process the supervisors were seen running, for the last-resort cleanup.
    private var seen: Set<ProcessIdentity> = []
    private var stopped = false

    init(_ layout: ClusterLayout, label: String = "janus-cluster-it") throws {
        self.layout = layout
        // Short: the path appears in every log line and state file.
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        file = directory.appendingPathComponent("cluster.toml").path
        try layout.toml.write(toFile: file, atomically: true, encoding: .utf8)
        spec = try ClusterSpec.load(path: file)
    }

    deinit { down() }

    var routerEndpoint: String { layout.routerEndpoint }
    var logDirectory: URL { URL(fileURLWithPath: spec.logDirectory) }

    /// A scratch folder inside the cluster's directory (removed with it).
    func scratch(_ name: String) throws -> URL {
        let url = directory.appendingPathComponent("out").appendingPathComponent("\(name)-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    // MARK: Starting

    /// Starts the supervisor of `node` (every node of the file when nil), inside network
    /// namespace `namespace` when given (`ip netns exec NS janus cluster up …`).
    func up(node: String? = nil, namespace: String? = nil, ip: String = "/usr/sbin/ip") throws {
        var arguments = ["cluster", "up", file, "--model", Fixtures.safetensorsModel, "--stop-timeout", "10"]
        if let node { arguments += ["--node", node] }
        let log = directory.appendingPathComponent("up-\(node ?? "all").log")
        let process: Process
        if let namespace {
            process = try Processes.spawn(ip, ["netns", "exec", namespace, JanusCLI.executable.path] + arguments, log: log)
        } else {
            process = try Processes.spawn(JanusCLI.executable.path, arguments, log: log)
        }
        supervisors.append((node ?? "all", process, log))
    }

    /// Waits until `router status --json` lists every process of the file as healthy.
    func waitUntilHealthy(timeout: TimeInterval = 90) throws {
        var last = ""
        let healthy = Processes.poll(timeout: timeout, interval: 0.2) {
            if let dead = supervisors.first(where: { !$0.process.isRunning }) {
                last = "supervisor of \(dead.node) exited with status \(dead.process.terminationStatus)"
                return true
            }
            guard let status = try? status() else { return false }
            last = status.summary
            return status.allHealthy(layout.processNames)
        }
        if let dead = supervisors.first(where: { !$0.process.isRunning }) {
            throw ClusterTestError("the supervisor of \(dead.node) exited (\(dead.process.terminationStatus)) "
                                   + "before the cluster was healthy\n\(diagnostics())")
        }
        guard healthy else {
            throw ClusterTestError("the cluster was not healthy within \(Int(timeout)) s; last status: \(last)\n\(diagnostics())")
        }
        recordProcesses()
    }

    // MARK: Looking at it

    /// `janus router status --router … --json`, parsed.
    func status() throws -> RouterStatusJSON {
        let result = try JanusCLI.run(["router", "status", "--router", routerEndpoint, "--json"])
        guard result.status == 0 else {
            throw ClusterTestError("router status failed (\(result.status)): \(result.stderr)")
        }
        return try JSONDecoder().decode(RouterStatusJSON.self, from: Data(result.stdout.utf8))
    }

    /// The processes the supervisors run now, by name (from their state files).
    func processes() -> [String: ProcessIdentity] {
        var found: [String: ProcessIdentity] = [:]
        for stateFile in SupervisorStateFile.all(in: spec.logDirectory) {
            guard let state = stateFile.read() else { continue }
            seen.insert(state.supervisor)
            for entry in state.processes {
                guard let identity = entry.process else { continue }
                found[entry.name] = identity
                seen.insert(identity)
            }
        }
        return found
    }

    private func recordProcesses() { _ = processes() }

    /// Waits until the supervisor runs `name` as a process other than `old` (a restart);
    /// the new identity.
    func waitForRestart(of name: String, replacing old: ProcessIdentity, timeout: TimeInterval = 60) -> ProcessIdentity? {
        var fresh: ProcessIdentity?
        Processes.poll(timeout: timeout, interval: 0.05) {
            if let now = processes()[name], now != old, now.isRunning { fresh = now }
            return fresh != nil
        }
        return fresh
    }

    func log(of process: String) -> String {
        (try? String(contentsOf: logDirectory.appendingPathComponent("\(process).log"), encoding: .utf8)) ?? ""
    }

    /// The last lines of every log, for failure messages.
    func diagnostics(lines: Int = 15) -> String {
        var text = ""
        let logs = supervisors.map(\.log) + layout.processNames.map { logDirectory.appendingPathComponent("\($0).log") }
        for url in logs {
            let content = (try? String(contentsOf: url, encoding: .utf8)) ?? "(no log)"
            let tail = content.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
            text += "--- \(url.lastPathComponent)\n\(tail)\n"
        }
        return text
    }

    // MARK: Stopping

    /// `janus cluster down FILE`, then SIGKILL for whatever is left; removes the
    /// directory. Safe to call twice.
    func down() {
        guard !stopped else { return }
        stopped = true
        recordProcesses()
        if !supervisors.isEmpty {
            _ = try? JanusCLI.run(["cluster", "down", file, "--timeout", "30"])
        }
        for supervisor in supervisors where !Processes.waitForExit(supervisor.process, timeout: 15) {
            kill(supervisor.process.processIdentifier, SIGKILL)
            Processes.waitForExit(supervisor.process, timeout: 5)
        }
        // Each supervised process leads its own process group.
        for identity in seen where identity.isRunning {
            kill(-identity.pid, SIGKILL)
            kill(identity.pid, SIGKILL)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Whether every process ever seen is gone (for the tests' own leftovers check).
    var everythingStopped: Bool {
        supervisors.allSatisfy { !$0.process.isRunning } && seen.allSatisfy { !$0.isRunning }
    }
}

struct ClusterTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What `janus router status --json` prints.
struct RouterStatusJSON: Decodable {
    struct Process: Decodable {
        let name, role, node: String
        let healthy, draining: Bool
        let load: Int
        let last_seen_ms_ago: Int
    }
    struct Class: Decodable {
        let name: String
        let queued, in_flight: Int
        let completed, failed: Int
        let p50_ms, p90_ms, p99_ms: Double
    }
    let processes: [Process]
    let classes: [Class]

    func process(_ name: String) -> Process? { processes.first { $0.name == name } }
    func kind(_ name: String) -> Class? { classes.first { $0.name == name } }

    func allHealthy(_ names: [String]) -> Bool {
        names.allSatisfy { process($0)?.healthy == true }
    }

    var summary: String {
        processes.map { "\($0.name)=\($0.healthy ? "ok" : "DEAD")/\($0.load)" }.joined(separator: " ")
            + "; " + classes.map { "\($0.name): \($0.queued) queued, \($0.in_flight) in flight, \($0.completed) done, \($0.failed) failed" }
            .joined(separator: "; ")
    }
}
