import Foundation

/// A node's processes as systemd service units, one per process: what a machine of a
/// real deployment installs instead of running `janus cluster up`. systemd then does
/// the supervising (`Restart=on-failure`) and the logging (the journal).
public struct SystemdUnit: Hashable, Sendable {
    /// `janus-<cluster>-<process>.service`
    public let fileName: String
    public let contents: String
}

public enum SystemdUnits {
    /// - Parameter user: the account the processes run as (`User=`); omitted when nil.
    public static func render(plan: ProcessPlan, spec: ClusterSpec, user: String? = nil) -> [SystemdUnit] {
        plan.entries.map { entry in
            let process = entry.process
            var service = ["Type=simple"]
            if let user { service.append("User=\(user)") }
            service += [
                "ExecStart=" + entry.command.commandLine.map(quoted).joined(separator: " "),
                "Restart=on-failure",
                "RestartSec=1",
                // Generous: a stage finishing its in-flight batch should not be killed mid-step.
                "TimeoutStopSec=30",
            ]
            let lines = [
                "[Unit]",
                "Description=Janus \(process.role.rawValue) \(process.name) (cluster \(spec.name), node \(process.node))",
                "After=network-online.target",
                "Wants=network-online.target",
                "",
                "[Service]",
            ] + service + [
                "",
                "[Install]",
                "WantedBy=multi-user.target",
            ]
            return SystemdUnit(fileName: "janus-\(spec.name)-\(process.name).service",
                               contents: lines.joined(separator: "\n") + "\n")
        }
    }

    /// All units in one text, each under a `# <file name>` header line.
    public static func text(_ units: [SystemdUnit]) -> String {
        units.map { "# \($0.fileName)\n\($0.contents)" }.joined(separator: "\n")
    }

    /// One `ExecStart=` word: `%` and `$` are escaped (systemd expands specifiers and
    /// variables), and words with spaces, quotes or backslashes are double-quoted.
    static func quoted(_ word: String) -> String {
        var escaped = word.replacingOccurrences(of: "%", with: "%%").replacingOccurrences(of: "$", with: "$$")
        let needsQuotes = escaped.isEmpty || escaped.contains { $0 == " " || $0 == "\t" || $0 == "\"" || $0 == "'" || $0 == "\\" || $0 == ";" }
        guard needsQuotes else { return escaped }
        escaped = escaped.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(escaped)\""
    }
}
