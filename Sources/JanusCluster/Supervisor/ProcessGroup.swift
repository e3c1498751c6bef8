#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A process group the supervisor started: Foundation's `Process` starts each child as
/// the leader of a new group (its pgid is its pid), so signalling the group also reaches
/// whatever the child spawned — a shell's background jobs, a server's helpers — and
/// nothing is left behind.
///
/// The group is named by its leader as first seen (pid and start time). Linux does not
/// hand out a pid again while a group of that id has members, so once another process
/// (another start time) holds the pid, this group is empty and the id belongs to someone
/// else: from then on the group is dead and signals to it go nowhere. (pids are reused
/// quickly where `pid_max` is 32768; without this, stopping a supervisor could SIGKILL an
/// unrelated process that happened to get a finished leader's pid.)
struct ProcessGroup: Equatable {
    let leader: ProcessIdentity

    /// The group of a child just started; makes sure the group exists before anyone
    /// signals it. The child puts itself in its group after `fork`, so right after
    /// `Process.run()` returns the group may not exist yet and a `killpg` would be lost;
    /// doing it from the parent too closes that race (the classic job-control idiom).
    /// Fails harmlessly once the child has exec'd.
    static func establish(_ pid: pid_t) -> ProcessGroup {
        _ = setpgid(pid, pid)
        return ProcessGroup(leader: ProcessIdentity.of(pid: pid) ?? ProcessIdentity(pid: pid, startTime: nil))
    }

    /// Whether the pid now belongs to a process other than the leader.
    private var idIsReused: Bool {
        guard let started = leader.startTime, let current = ProcessIdentity.of(pid: leader.pid)?.startTime else {
            return false  // the leader itself, a zombie, or nobody: the id is still this group's
        }
        return current != started
    }

    func signal(_ signal: Int32) {
        guard !idIsReused else { return }
        if killpg(leader.pid, signal) != 0 && errno == ESRCH {
            // No group (yet, or any more): the leader alone, if it is still there.
            _ = kill(leader.pid, signal)
        }
    }

    /// True while any process of the group is alive (including zombies not yet reaped).
    var isAlive: Bool {
        !idIsReused && (killpg(leader.pid, 0) == 0 || errno == EPERM)
    }
}
