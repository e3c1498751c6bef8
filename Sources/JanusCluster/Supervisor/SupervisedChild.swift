import Foundation

/// The supervisor's record of one process across its restarts.
struct Child {
    let spec: ProcessSpec
    let log: ProcessLog
    var state: SupervisedProcessStatus.State = .exited
    var process: Process?
    /// Bumped on every start, so a late exit notification of an earlier incarnation is ignored.
    var generation = 0
    var starts = 0
    var consecutiveFailures = 0
    var startedAt: ContinuousClock.Instant?
    var pendingRestart: Task<Void, Never>?
    /// Process groups of incarnations that may still have members; checked when stopping.
    var groups: [ProcessGroup] = []

    var pid: Int32? { process?.processIdentifier }

    mutating func markStarted(_ process: Process, group: ProcessGroup) {
        self.process = process
        state = .running
        starts += 1
        startedAt = .now
        groups = groups.filter(\.isAlive) + [group]
    }

    /// The group of the running incarnation.
    var group: ProcessGroup? { groups.last { $0.leader.pid == pid } }

    /// Returns how long the incarnation ran.
    mutating func markExited() -> Duration {
        let ranFor = startedAt.map { ContinuousClock.now - $0 } ?? .zero
        state = .exited
        return ranFor
    }

    var status: SupervisedProcessStatus {
        SupervisedProcessStatus(name: spec.name, state: state, pid: pid, starts: starts, command: spec)
    }
}
