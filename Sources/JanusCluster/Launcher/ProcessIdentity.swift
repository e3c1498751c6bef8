#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Whether a pid recorded earlier still belongs to the process we started, and not to
/// an unrelated process that was given the same pid since. Where `/proc` exists the
/// command line must still match; elsewhere only liveness can be checked.
enum ProcessIdentity {
    static func isRunning(pid: Int32, commandLine: [String]) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let current = self.commandLine(of: pid) else { return true }
        return matches(current, recorded: commandLine)
    }

    /// `/proc/<pid>/cmdline` as arguments; nil where there is no `/proc`.
    static func commandLine(of pid: Int32) -> [String]? {
        guard FileManager.default.fileExists(atPath: "/proc/self/cmdline") else { return nil }
        // A zombie or a process that just ended reads as empty: not running.
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0, omittingEmptySubsequences: false).dropLast().map {
            String(decoding: $0, as: UTF8.self)
        }
    }

    /// The recorded arguments must end the current command line, and the recorded
    /// executable's file name must appear in it. A script started through its `#!`
    /// line shows up as `interpreter script args…`, which still matches.
    static func matches(_ current: [String], recorded: [String]) -> Bool {
        guard let executable = recorded.first else { return false }
        let arguments = Array(recorded.dropFirst())
        let name = (executable as NSString).lastPathComponent
        return current.count > arguments.count
            && Array(current.suffix(arguments.count)) == arguments
            && current.dropLast(arguments.count).contains { ($0 as NSString).lastPathComponent == name }
    }
}
