import ArgumentParser
import Foundation
import JanusCluster
import Logging

/// `janus cluster up`: runs the processes of this machine's nodes in the foreground,
/// restarting crashed ones, until Ctrl-C, SIGTERM or `janus cluster down`.
struct ClusterUp: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Start and supervise this machine's processes of a cluster (foreground).",
        discussion: """
            Without --node, runs every node whose host is this machine (its host name, one of \
            its addresses, or a loopback address). Each process logs to <log_dir>/<name>.log.
            """)

    @OptionGroup var cluster: ClusterFileArgument
    @OptionGroup var serve: ServeOptions

    @Option(help: ArgumentHelp("Run this node's processes (repeatable) instead of the nodes found by host.",
                               valueName: "name"))
    var node: [String] = []

    @Option(help: ArgumentHelp("Seconds a process gets to exit after SIGTERM before SIGKILL.", valueName: "seconds"))
    var stopTimeout: Double = 10

    func validate() throws {
        guard stopTimeout > 0 else { throw ValidationError("--stop-timeout must be positive") }
    }

    func run() async throws {
        let spec = try cluster.load()
        let executable = serve.resolvedExecutable
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw ValidationError("--executable \(executable): not an executable file")
        }
        let plan = try ProcessPlan(spec: spec, nodes: try chooseNodes(spec), executable: executable,
                                   model: serve.resolvedModel, vae: serve.resolvedVAE)
        try serve.checkPairing(for: plan)
        let configuration = Supervisor.Configuration(stopGracePeriod: .seconds(stopTimeout))
        let logger = Logger(label: "janus.cluster") { StreamLogHandler.standardError(label: $0) }
        let launcher = ClusterLauncher(spec: spec, plan: plan, configuration: configuration)
        _ = try await launcher.run(logger: logger) { status($0) }
        status("janus: every process of \(cluster.file) has stopped")
    }

    private func chooseNodes(_ spec: ClusterSpec) throws -> [String] {
        if !node.isEmpty { return node }
        let localHost = LocalHost.current()
        let nodes = localHost.localNodes(of: spec)
        guard !nodes.isEmpty else {
            let hosts = spec.nodes.map { "\($0.name) (\($0.host))" }.joined(separator: ", ")
            throw ValidationError("""
                no node of \(cluster.file) is this machine (\(ProcessInfo.processInfo.hostName)); \
                nodes: \(hosts). Choose one with --node NAME.
                """)
        }
        return nodes.map(\.name)
    }
}
