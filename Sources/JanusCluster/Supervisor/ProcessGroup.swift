#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Foundation's `Process` starts each child as the leader of a new process group (its
/// pgid is its pid), so signalling the group also reaches whatever the child spawned —
/// a shell's background jobs, a server's helpers — and nothing is left behind.
enum ProcessGroup {
    static func signal(_ leader: pid_t, _ signal: Int32) {
        _ = killpg(leader, signal)
    }

    /// True while any process of the group is alive (including zombies not yet reaped).
    static func isAlive(_ leader: pid_t) -> Bool {
        killpg(leader, 0) == 0 || errno == EPERM
    }
}
