#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Whether a pid recorded earlier still belongs to the process we started, and not to
/// an unrelated process that was given the same pid since. Where `/proc` exists, a
/// process is identified by its pid and its start time (which survives `exec`, unlike
/// the command line: a wrapper script that execs the real server is still the same
/// process). Elsewhere only liveness can be checked.
public struct ProcessIdentity: Hashable, Sendable, Codable {
    public let pid: Int32
    /// Clock ticks after boot at which the process started (`/proc/<pid>/stat` field 22).
    public let startTime: UInt64?

    /// The identity of the live process `pid`, nil when there is none.
    public static func of(pid: Int32) -> ProcessIdentity? {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return nil }
        guard let stat = ProcStat(pid: pid) else {
            return hasProcFileSystem ? nil : ProcessIdentity(pid: pid, startTime: nil)
        }
        return stat.isZombie ? nil : ProcessIdentity(pid: pid, startTime: stat.startTime)
    }

    public static var current: ProcessIdentity {
        of(pid: getpid()) ?? ProcessIdentity(pid: getpid(), startTime: nil)
    }

    /// True while the process that had this identity is still running.
    public var isRunning: Bool {
        guard let now = Self.of(pid: pid) else { return false }
        return startTime == nil || now.startTime == nil || now.startTime == startTime
    }

    private static var hasProcFileSystem: Bool {
        FileManager.default.fileExists(atPath: "/proc/self/stat")
    }
}

/// The two fields of `/proc/<pid>/stat` we need. The command name (field 2) is in
/// parentheses and may itself contain spaces and parentheses, so fields are counted
/// from the last `)`.
private struct ProcStat {
    let isZombie: Bool
    let startTime: UInt64

    init?(pid: Int32) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
        guard fields.count > 19, let startTime = UInt64(fields[19]) else { return nil }
        isZombie = fields[0] == "Z" || fields[0] == "X"
        self.startTime = startTime
    }
}
