import ArgumentParser
import Foundation
import JanusCluster

/// `janus cluster down`: stops what `janus cluster up` started from the same file on
/// this machine, found through the state files in the cluster's log directory.
struct ClusterDown: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "down",
        abstract: "Stop the processes that `janus cluster up` runs for a cluster file on this machine.")

    @OptionGroup var cluster: ClusterFileArgument

    @Option(help: ArgumentHelp("Only this node's supervisor (repeatable); default: every one of the file.",
                               valueName: "name"))
    var node: [String] = []

    @Option(help: ArgumentHelp("Seconds to wait for a supervisor to stop its processes before killing it.",
                               valueName: "seconds"))
    var timeout: Double = 30

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
    }

    func run() async throws {
        let spec = try cluster.load()
        for name in node where spec.node(named: name) == nil {
            throw ValidationError("no node \"\(name)\" in \(cluster.file) (nodes: \(spec.nodes.map(\.name).joined(separator: ", ")))")
        }
        let report = await ClusterShutdown.stop(spec: spec, nodes: node.isEmpty ? nil : node, timeout: .seconds(timeout))
        guard report.foundAny else {
            status("janus: nothing to stop: no `janus cluster up` of \(cluster.file) is running here "
                   + "(no supervisor state in \(spec.logDirectory))")
            return
        }
        report.lines.forEach { print($0) }
        if !report.clean { throw ExitCode.failure }
    }
}
