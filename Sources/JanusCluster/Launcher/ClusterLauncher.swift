import Foundation
import Logging

/// `janus cluster up`: runs the processes of a plan under a `Supervisor` in the
/// foreground, keeps a state file per node for `janus cluster down`, and stops
/// everything on SIGTERM, SIGINT or SIGHUP (a second one kills at once).
public struct ClusterLauncher: Sendable {
    public let spec: ClusterSpec
    public let plan: ProcessPlan
    public var configuration: Supervisor.Configuration

    public init(spec: ClusterSpec, plan: ProcessPlan, configuration: Supervisor.Configuration = .init()) {
        self.spec = spec
        self.plan = plan
        self.configuration = configuration
    }

    /// Runs until stopped by a signal (or until every process exited for good).
    /// Returns the processes' final statuses.
    /// - Parameter announce: receives the human-readable lines about what was started.
    public func run(logger: Logger, announce: @Sendable (String) -> Void) async throws -> [SupervisedProcessStatus] {
        let stateFiles = plan.nodes.map { SupervisorStateFile(logDirectory: spec.logDirectory, node: $0.name) }
        try await clearStaleState(stateFiles, logger: logger)

        let baseState = SupervisorState(supervisor: .current, clusterFile: spec.path,
                                        nodes: plan.nodes.map(\.name), processes: [])
        let supervisor = try Supervisor(
            processes: plan.commands, logDirectory: spec.logDirectory, configuration: configuration,
            logger: logger
        ) { statuses in
            var state = baseState
            state.processes = statuses.map { status in
                let running = status.state == .running ? status.pid.flatMap { ProcessIdentity.of(pid: $0) } : nil
                return .init(name: status.name, process: running, commandLine: status.command.commandLine)
            }
            stateFiles.forEach { try? $0.write(state) }
        }
        defer { stateFiles.forEach { $0.remove() } }

        let signals = TerminationSignals { signal, count in
            Task {
                if count == 1 {
                    logger.notice("signal \(signal): stopping every process (again to kill at once)")
                    await supervisor.stop()
                } else {
                    await supervisor.kill()
                }
            }
        }
        defer { signals.cancel() }

        try await supervisor.start()
        announce(startedMessage())
        await supervisor.waitUntilIdle()
        return await supervisor.statuses
    }

    private func startedMessage() -> String {
        let nodes = plan.nodes.map { "\($0.name) (\($0.host))" }.joined(separator: ", ")
        let names = plan.entries.map(\.process.name).joined(separator: ", ")
        return """
            janus: running \(plan.entries.count) processes of node \(nodes): \(names)
            janus: logs in \(spec.logDirectory)/<name>.log; stop with Ctrl-C or `janus cluster down \(spec.displayPath)`
            """
    }

    /// A state file of a live supervisor means the cluster is already up here; one of a
    /// dead supervisor is cleaned up, stopping any process it left behind.
    private func clearStaleState(_ files: [SupervisorStateFile], logger: Logger) async throws {
        for file in files {
            guard let state = file.read() else {
                file.remove()
                continue
            }
            if state.isSupervisorRunning {
                throw ClusterLaunchError.alreadyRunning(pid: state.supervisor.pid, clusterFile: spec.displayPath)
            }
            let leftovers = await LeftoverProcesses.stop(state.runningProcesses, gracePeriod: configuration.stopGracePeriod)
            if !leftovers.isEmpty {
                logger.warning("stopped processes left by a previous supervisor (pid \(state.supervisor.pid)): \(leftovers.joined(separator: ", "))")
            }
            file.remove()
        }
    }
}

public enum ClusterLaunchError: Error, Sendable, Equatable, CustomStringConvertible {
    case alreadyRunning(pid: Int32, clusterFile: String)

    public var description: String {
        switch self {
        case .alreadyRunning(let pid, let clusterFile):
            "\(clusterFile) is already running here (supervisor pid \(pid)); stop it with `janus cluster down \(clusterFile)`"
        }
    }
}
