import Foundation

/// A one-line progress display on stderr (`label 123/576 [=====>   ] 21.3 tok/s ETA 0:20`),
/// redrawn in place on a terminal; elsewhere (logs, pipes) a line at most every few
/// seconds, so long jobs still show they are alive.
final class ProgressBar {
    private let label: String
    private var total: Int
    private let unit: String
    private let start = Date()
    private let interactive = isatty(STDERR_FILENO) != 0
    private var lastDrawn = Date.distantPast
    private var finished = false

    init(label: String, total: Int, unit: String) {
        self.label = label
        self.total = max(total, 1)
        self.unit = unit
    }

    /// Changes the total once it is known (e.g. reported by a server).
    func retotal(_ newTotal: Int) {
        total = max(newTotal, 1)
    }

    func update(_ done: Int) {
        let now = Date()
        let complete = done >= total
        let interval: TimeInterval = interactive ? 0.1 : 5
        guard complete || now.timeIntervalSince(lastDrawn) >= interval, !finished else { return }
        lastDrawn = now
        let elapsed = now.timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let remaining = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "=", count: filled) + (filled < width ? ">" : "")
            + String(repeating: " ", count: max(0, width - filled - 1))
        var line = "\(label) \(done)/\(total) [\(bar)] \(String(format: "%.1f", rate)) \(unit)/s"
        line += complete ? " in \(Self.clock(elapsed))" : " ETA \(Self.clock(remaining))"
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line + (complete ? "\n" : "")).utf8))
        } else {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if complete { finished = true }
    }

    private static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        return String(format: "%d:%02d", whole / 60, whole % 60)
    }
}

/// A status line on stderr (stdout carries results).
func status(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Writes to stdout unbuffered, so streamed text and line ends stay in order
/// (`print` buffers when stdout is not a terminal).
func writeOut(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}
