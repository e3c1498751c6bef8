/// What a set of nodes runs: each process of those nodes with its exact command,
/// `janus serve <role> --cluster FILE --name NAME [--model DIR] [--vae DIR]`.
public struct ProcessPlan: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public let process: ClusterProcess
        public let command: ProcessSpec
    }

    public let nodes: [ClusterNode]
    public let entries: [Entry]

    /// - Parameters:
    ///   - executable: the `janus` binary the processes run.
    ///   - model: checkpoint directory passed to every process, if any.
    ///   - vae: the VAE directory of a JanusFlow cluster, passed to the decoders only
    ///     (nothing else reads it).
    ///   - clusterPath: the cluster file as the processes will find it; defaults to the
    ///     spec's absolute path (render may name where the file is deployed instead).
    public init(spec: ClusterSpec, nodes nodeNames: [String], executable: String,
                model: String? = nil, vae: String? = nil, clusterPath: String? = nil) throws(ProcessPlanError) {
        var nodes: [ClusterNode] = []
        for name in nodeNames {
            guard let node = spec.node(named: name) else {
                throw ProcessPlanError.unknownNode(name, known: spec.nodes.map(\.name))
            }
            if !nodes.contains(node) { nodes.append(node) }
        }
        let names = Set(nodes.map(\.name))
        let file = clusterPath ?? spec.path
        self.nodes = nodes
        entries = spec.processes.filter { names.contains($0.node) }.map { process in
            Entry(process: process, command: ProcessSpec(
                name: process.name, executable: executable,
                arguments: Self.serveArguments(role: process.role, clusterPath: file, name: process.name,
                                               model: model, vae: process.role == .decoder ? vae : nil)))
        }
    }

    public var commands: [ProcessSpec] { entries.map(\.command) }

    /// The arguments (after the executable) that start one process of a cluster.
    public static func serveArguments(role: ProcessRole, clusterPath: String, name: String,
                                      model: String?, vae: String? = nil) -> [String] {
        ["serve", role.rawValue, "--cluster", clusterPath, "--name", name] + (model.map { ["--model", $0] } ?? [])
            + (vae.map { ["--vae", $0] } ?? [])
    }
}

public enum ProcessPlanError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownNode(String, known: [String])

    public var description: String {
        switch self {
        case .unknownNode(let name, let known):
            "no node \"\(name)\" in the cluster file (nodes: \(known.joined(separator: ", ")))"
        }
    }
}
