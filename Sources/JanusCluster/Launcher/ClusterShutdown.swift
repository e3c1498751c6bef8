#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// `janus cluster down`: finds the supervisors of a cluster file through their state
/// files, asks each to stop (SIGTERM) and waits for it; processes of a supervisor that
/// died are stopped directly.
public enum ClusterShutdown {
    public struct Report: Sendable, Equatable {
        /// One line per supervisor (or leftover set) that was dealt with.
        public var lines: [String] = []
        /// False when nothing of this cluster was running.
        public var foundAny: Bool { !lines.isEmpty }
        /// False when a supervisor had to be killed because it did not stop in time.
        public var clean = true
    }

    /// - Parameters:
    ///   - nodes: only these nodes' supervisors; nil for every one in the log directory.
    ///   - timeout: how long to wait for a supervisor to stop its processes and exit.
    public static func stop(spec: ClusterSpec, nodes: [String]? = nil, timeout: Duration = .seconds(30)) async -> Report {
        let files = nodes.map { $0.map { SupervisorStateFile(logDirectory: spec.logDirectory, node: $0) } }
            ?? SupervisorStateFile.all(in: spec.logDirectory)
        var report = Report()
        var handledSupervisors: Set<Int32> = []
        for file in files {
            guard let state = file.read() else { continue }
            defer { file.remove() }
            guard handledSupervisors.insert(state.supervisor.pid).inserted else { continue }
            let nodeList = state.nodes.joined(separator: ", ")
            if state.isSupervisorRunning {
                kill(state.supervisor.pid, SIGTERM)
                if await waitForExit(state, timeout: timeout) {
                    report.lines.append("stopped node \(nodeList): supervisor pid \(state.supervisor.pid) and its \(state.processes.count) processes")
                    continue
                }
                kill(state.supervisor.pid, SIGKILL)
                report.clean = false
                let stopped = await LeftoverProcesses.stop(state.runningProcesses, gracePeriod: .seconds(5))
                report.lines.append("node \(nodeList): supervisor pid \(state.supervisor.pid) did not stop within \(timeout); killed it"
                                    + (stopped.isEmpty ? "" : " and stopped \(stopped.joined(separator: ", "))"))
            } else {
                let stopped = await LeftoverProcesses.stop(state.runningProcesses, gracePeriod: .seconds(10))
                report.lines.append("node \(nodeList): supervisor pid \(state.supervisor.pid) was no longer running"
                                    + (stopped.isEmpty ? "" : "; stopped what it left: \(stopped.joined(separator: ", "))"))
            }
        }
        return report
    }

    private static func waitForExit(_ state: SupervisorState, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while state.isSupervisorRunning {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return true
    }
}
