import ArgumentParser
import Foundation
import JanusCluster
import JanusServe
import Logging

/// `janus serve <role>`: one process of a cluster, as `janus cluster up` (or a systemd
/// unit) starts it. It looks itself up by name in the cluster file, loads only its part
/// of the model, connects to the router and serves until SIGTERM or SIGINT.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one process of a cluster (normally started by `janus cluster up`).")

    /// The roles this command can run. (The router joins once it exists.)
    enum Role: String, CaseIterable, ExpressibleByArgument {
        case encoder, stage, decoder

        var processRole: ProcessRole {
            switch self {
            case .encoder: .encoder
            case .stage: .stage
            case .decoder: .decoder
            }
        }
    }

    @Argument(help: "What to run: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    var role: Role

    @Option(help: ArgumentHelp("The cluster file (TOML, see cluster/README.md).", valueName: "file"))
    var cluster: String

    @Option(help: ArgumentHelp("This process's name in the cluster file, e.g. stage-0.", valueName: "process"))
    var name: String

    @OptionGroup var modelOption: ModelOption

    func run() throws {
        let settings = try WorkerSettings.load(clusterFile: cluster, name: name, role: role.processRole,
                                               modelDirectory: try modelOption.resolve())
        let logger = Logger.worker(named: name)
        // Signals first: SIGTERM during a long model load must still stop us cleanly.
        let shutdown = ShutdownFlag()
        let signals = shutdown.requestOnTerminationSignals()
        defer { signals.cancel() }
        logger.info("loading \(role.rawValue) \(name) from \(settings.modelDirectory)")
        let service: any WorkerService = switch role {
        case .encoder: try EncoderService(settings: settings, logger: logger)
        case .stage: try StageService(settings: settings, logger: logger)
        case .decoder: try DecoderService(settings: settings, logger: logger)
        }
        guard !shutdown.isRequested else { return }
        try service.run(until: shutdown)
    }
}
