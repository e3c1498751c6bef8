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

    /// The roles this command can run.
    enum Role: String, CaseIterable, ExpressibleByArgument {
        case router, encoder, stage, decoder
    }

    @Argument(help: "What to run: \(Role.allCases.map(\.rawValue).joined(separator: ", ")).")
    var role: Role

    @Option(help: ArgumentHelp("The cluster file (TOML, see cluster/README.md).", valueName: "file"))
    var cluster: String

    @Option(help: ArgumentHelp("This process's name in the cluster file, e.g. stage-0.", valueName: "process"))
    var name: String

    @OptionGroup var modelOption: ModelOption
    @OptionGroup var computeOptions: ComputeOptions

    @Option(help: ArgumentHelp("Decoders of a JanusFlow checkpoint: the VAE directory (diffusers AutoencoderKL, "
                               + "e.g. stabilityai/sdxl-vae) that turns latents into pixels.", valueName: "dir"))
    var vae: String?

    func validate() throws {
        if vae != nil && role != .decoder {
            throw ValidationError("--vae is for decoders (they turn JanusFlow latents into pixels); a \(role.rawValue) never reads it.")
        }
    }

    func run() throws {
        // Signals first: a SIGTERM during a long model load must still end us cleanly.
        let shutdown = ShutdownFlag()
        let signals = shutdown.requestOnTerminationSignals()
        defer { signals.cancel() }
        // Before any weights load: `--weights int8` quantises at load.
        computeOptions.apply()
        switch role {
        case .router: try runRouter(until: shutdown)
        case .encoder: try runWorker(.encoder, until: shutdown) { try EncoderService(settings: $0, logger: $1) }
        case .stage: try runWorker(.stage, until: shutdown) { try StageService(settings: $0, logger: $1) }
        case .decoder: try runWorker(.decoder, until: shutdown) { try DecoderService(settings: $0, logger: $1) }
        }
    }

    /// The router needs the model's tokenizer and configuration, not its weights.
    private func runRouter(until shutdown: ShutdownFlag) throws {
        let spec = try ClusterSpec.load(path: cluster)
        guard spec.router.name == name else {
            throw ValidationError("\(cluster) names its router \"\(spec.router.name)\", not \"\(name)\"")
        }
        let logger = Logger.worker(named: name)
        try RouterServer.serve(spec: spec, modelDirectory: try modelOption.resolve(), logger: logger) {
            shutdown.isRequested
        }
    }

    /// Finds this worker in the cluster file, loads it with `load` and serves.
    private func runWorker(_ role: ProcessRole, until shutdown: ShutdownFlag,
                           load: (WorkerSettings, Logger) throws -> any WorkerService) throws {
        let settings = try WorkerSettings.load(clusterFile: cluster, name: name, role: role,
                                               modelDirectory: try modelOption.resolve(), vaeDirectory: vae)
        let logger = Logger.worker(named: name)
        logger.info("loading \(role.rawValue) \(name) from \(settings.modelDirectory)")
        let service = try load(settings, logger)
        guard !shutdown.isRequested else { return }
        try service.run(until: shutdown)
    }
}
