import ArgumentParser
import Foundation
import JanusCluster

/// `janus cluster render`: what one machine of a real deployment runs, as systemd units.
struct ClusterRender: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Print (or write) one systemd unit per process of a node.",
        discussion: """
            Each unit runs `janus serve <role> --cluster FILE --name NAME` with \
            Restart=on-failure. Install them with systemctl enable --now 'janus-<cluster>-*'.
            """)

    @OptionGroup var cluster: ClusterFileArgument

    @Option(help: ArgumentHelp("The node whose processes to render.", valueName: "name"))
    var node: String

    @OptionGroup var serve: ServeOptions

    @Option(help: ArgumentHelp("Account the services run as (User=).", valueName: "user"))
    var user: String?

    @Option(help: ArgumentHelp("Where the cluster file lives on the node (default: FILE's absolute path here).",
                               valueName: "path"))
    var clusterPath: String?

    @Option(help: ArgumentHelp("Write the unit files into this directory instead of printing them.",
                               valueName: "dir"))
    var outputDirectory: String?

    func validate() throws {
        if let clusterPath, !clusterPath.hasPrefix("/") {
            throw ValidationError("--cluster-path must be absolute: systemd starts services in /")
        }
        if user?.isEmpty == true { throw ValidationError("--user must not be empty") }
    }

    func run() throws {
        let spec = try cluster.load()
        let plan = try ProcessPlan(spec: spec, nodes: [node], executable: serve.resolvedExecutable,
                                   model: serve.resolvedModel, vae: serve.resolvedVAE, clusterPath: clusterPath)
        try serve.checkPairing(for: plan)
        let units = SystemdUnits.render(plan: plan, spec: spec, user: user)
        guard let outputDirectory else {
            print(SystemdUnits.text(units), terminator: "")
            return
        }
        let directory = URL(fileURLWithPath: outputDirectory)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for unit in units {
            let url = directory.appendingPathComponent(unit.fileName)
            try Data(unit.contents.utf8).write(to: url)
            print(url.path)
        }
    }
}
