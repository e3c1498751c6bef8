#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Foundation's `Process` starts each child as the leader of a new process group (its
/// pgid is its pid), so signalling the group also reaches whatever the child spawned —
/// a shell's background jobs, a server's helpers — and nothing is left behind.
enum ProcessGroup {
    /// Makes sure the group exists before anyone signals it. The child puts itself in its
    /// group after `fork`, so right after `Process.run()` returns the group may not exist
    /// yet and a `killpg` would be lost; doing it from the parent too closes that race
    /// (the classic job-control idiom). Fails harmlessly once the child has exec'd.
    static func establish(_ leader: pid_t) {
        _ = setpgid(leader, leader)
    }

    static func signal(_ leader: pid_t, _ signal: Int32) {
        if killpg(leader, signal) != 0 && errno == ESRCH {
            // No group (yet, or any more): the leader alone, if it is still there.
            _ = kill(leader, signal)
        }
    }

    /// True while any process of the group is alive (including zombies not yet reaped).
    static func isAlive(_ leader: pid_t) -> Bool {
        killpg(leader, 0) == 0 || errno == EPERM
    }
}
