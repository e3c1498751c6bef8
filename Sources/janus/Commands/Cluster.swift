import ArgumentParser
import Foundation
import JanusCluster
import JanusInference
import JanusModels

/// `janus cluster`: the launcher side of a cluster file — start this machine's processes,
/// stop them, render systemd units for a deployment, or just check the file.
struct ClusterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Start, stop, check and deploy a cluster of janus processes (see cluster/README.md).",
        subcommands: [ClusterUp.self, ClusterDown.self, ClusterRender.self, ClusterCheck.self])
}

/// The cluster file every `janus cluster` subcommand takes.
struct ClusterFileArgument: ParsableArguments {
    @Argument(help: "Cluster file (TOML, see cluster/README.md), e.g. cluster/local.toml.")
    var file: String

    /// Loads and validates the file; its problems become the command's error message.
    func load() throws -> ClusterSpec {
        try ClusterSpec.load(path: file)
    }
}

/// What the started processes run: `<executable> serve <role> … [--model DIR]`.
struct ServeOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Checkpoint directory every process loads (its own part of it).",
                               valueName: "dir"))
    var model: String?

    @Option(help: ArgumentHelp("JanusFlow: the VAE directory (diffusers AutoencoderKL, e.g. stabilityai/sdxl-vae) "
                               + "the decoders turn latents into pixels with; only decoders get it.", valueName: "dir"))
    var vae: String?

    @Option(help: ArgumentHelp("The janus binary the processes run (default: this janus).", valueName: "path"))
    var executable: String?

    func validate() throws {
        if model?.isEmpty == true { throw ValidationError("--model must not be empty") }
        if vae?.isEmpty == true { throw ValidationError("--vae must not be empty") }
        if executable?.isEmpty == true { throw ValidationError("--executable must not be empty") }
    }

    var resolvedVAE: String? {
        vae.map(absolutePath)
    }

    /// Refuses, before anything starts, a model and VAE the processes of `plan` could not
    /// start with: a VAE for a Janus / Janus-Pro checkpoint (or the default model), a
    /// JanusFlow checkpoint whose decoders have no VAE, a VAE of other latents. Only
    /// directories that are on this machine are read: `render` may name another machine's
    /// paths, and a process whose model is missing says so itself when it starts.
    func checkPairing(for plan: ProcessPlan) throws {
        let decoders = plan.entries.contains { $0.process.role == .decoder }
        guard let model = resolvedModel else {
            if let vae { throw ValidationError("--vae \(vae) is for JanusFlow checkpoints; without --model the processes run the default Janus-Pro model.") }
            return
        }
        let present = { (directory: String) in FileManager.default.fileExists(atPath: directory + "/config.json") }
        guard present(model) else { return }
        switch try ModelKind.detect(directory: model) {
        case .janusFlow:
            if let vae = resolvedVAE {
                if present(vae) { try FlowTextToImage.checkPairing(model: model, vae: vae) }
            } else if decoders {
                throw ValidationError("\(ModelSetupError.flowWithoutVAE(model: model)); its decoders need --vae DIR.")
            }
        case .janus:
            if let vae { throw ValidationError("\(ModelSetupError.vaeForVQModel(model: model, vae: vae)).") }
        case .vae:
            throw ValidationError("\(model) is a VAE: pass it as --vae, with the JanusFlow checkpoint as --model.")
        }
    }

    /// Absolute, since processes (and systemd units) do not share our working directory.
    var resolvedExecutable: String {
        executable.map(absolutePath) ?? runningExecutablePath()
    }

    var resolvedModel: String? {
        model.map(absolutePath)
    }
}

func absolutePath(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
}

/// The path of the janus binary that is running now.
private func runningExecutablePath() -> String {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
        return resolved
    }
    return absolutePath(Bundle.main.executablePath ?? CommandLine.arguments[0])
}
