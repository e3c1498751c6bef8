import ArgumentParser
import Foundation
import JanusCluster

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

    @Option(help: ArgumentHelp("The janus binary the processes run (default: this janus).", valueName: "path"))
    var executable: String?

    func validate() throws {
        if model?.isEmpty == true { throw ValidationError("--model must not be empty") }
        if executable?.isEmpty == true { throw ValidationError("--executable must not be empty") }
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
