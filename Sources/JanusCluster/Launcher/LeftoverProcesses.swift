#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Processes recorded by a supervisor that is gone (killed with SIGKILL, or its machine
/// rebooted without the pid files being cleaned): stopped like the supervisor would
/// have — SIGTERM to each process group, SIGKILL after a grace period.
enum LeftoverProcesses {
    /// Returns the names of the processes that were stopped.
    static func stop(_ entries: [SupervisorState.Entry], gracePeriod: Duration) async -> [String] {
        let leaders = entries.compactMap { entry in entry.process.map { (entry.name, ProcessGroup(leader: $0)) } }
        leaders.forEach { $0.1.signal(SIGTERM) }
        let deadline = ContinuousClock.now + gracePeriod
        while leaders.contains(where: { $0.1.isAlive }), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        leaders.filter { $0.1.isAlive }.forEach { $0.1.signal(SIGKILL) }
        return leaders.map(\.0)
    }
}
