#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// `<log directory>/<name>.log`, opened for appending: the child's stdout and stderr go
/// straight to it, and the supervisor adds its own lines (start, exit, restart) so one
/// file tells a process's whole story. O_APPEND keeps concurrent writes from clobbering.
final class ProcessLog: @unchecked Sendable {
    let url: URL
    /// Shared with every incarnation of the child; closed when the log is released.
    let handle: FileHandle

    init(directory: URL, name: String) throws {
        url = directory.appendingPathComponent("\(name).log")
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SupervisorError.cannotOpenLog(url.path, reason: String(cString: strerror(errno)))
        }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    /// One supervisor line: `2026-01-02T03:04:05.678Z [supervisor] message`.
    func note(_ message: String) {
        let stamp = Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true))
        let line = "\(stamp) [supervisor] \(message)\n"
        try? handle.write(contentsOf: Data(line.utf8))
    }
}
