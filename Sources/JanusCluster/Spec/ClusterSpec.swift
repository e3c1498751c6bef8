import Foundation

/// A validated cluster file: which machine runs which process, where each process binds,
/// how the pipeline's layers are split and how the router schedules.
///
/// Every `janus serve <role> --cluster FILE --name NAME` loads the same file with
/// `ClusterSpec.load(path:)` and looks itself up by name; everything here has already
/// been checked (unique names, known nodes, distinct and reachable endpoints, layer
/// ranges), so a process can trust it.
public struct ClusterSpec: Hashable, Sendable {
    /// `name` in the file, else the file name without extension; prefixes systemd units.
    public let name: String
    /// The file as the user named it, for messages.
    public let displayPath: String
    /// The file's absolute path, passed on to every process (`--cluster`).
    public let path: String
    /// Absolute: `log_dir` is relative to the cluster file's directory, so `up` and
    /// `down` agree on it from any working directory.
    public let logDirectory: String
    public let nodes: [ClusterNode]
    public let router: RouterSpec
    /// In pipeline order.
    public let stages: [StageSpec]
    public let encoders: [ReplicaSpec]
    public let decoders: [ReplicaSpec]
    public let policy: RouterPolicy
    public let layerSplit: LayerSplit

    /// Every process: router, encoders, stages, decoders, in file order within each role.
    public var processes: [ClusterProcess] {
        let router = ClusterProcess(
            name: router.name, role: .router, node: router.node,
            boundEndpoints: [NamedEndpoint(key: "client_endpoint", endpoint: router.clientEndpoint),
                             NamedEndpoint(key: "backend_endpoint", endpoint: router.backendEndpoint)])
        let stages = stages.map {
            ClusterProcess(name: $0.name, role: .stage, node: $0.node,
                           boundEndpoints: [NamedEndpoint(key: "data_endpoint", endpoint: $0.dataEndpoint)])
        }
        let replicas = { (replica: ReplicaSpec) in
            ClusterProcess(name: replica.name, role: replica.role, node: replica.node, boundEndpoints: [])
        }
        return [router] + encoders.map(replicas) + stages + decoders.map(replicas)
    }

    public func process(named name: String) -> ClusterProcess? {
        processes.first { $0.name == name }
    }

    public func processes(onNode node: String) -> [ClusterProcess] {
        processes.filter { $0.node == node }
    }

    public func node(named name: String) -> ClusterNode? {
        nodes.first { $0.name == name }
    }

    public func stage(named name: String) -> StageSpec? {
        stages.first { $0.name == name }
    }

    /// An encoder or decoder replica.
    public func replica(named name: String) -> ReplicaSpec? {
        (encoders + decoders).first { $0.name == name }
    }

    public func isLastStage(_ stage: StageSpec) -> Bool {
        stage.index == stages.count - 1
    }

    /// Where `stage` pushes its output: the next stage's activations endpoint, or — for
    /// the last stage — stage 0's, which takes the sampled tokens.
    public func downstreamEndpoint(of stage: StageSpec) -> Endpoint {
        isLastStage(stage) ? stages[0].dataEndpoint : stages[stage.index + 1].dataEndpoint
    }

    /// The stage that pushes into `stage` (the last one pushes tokens into stage 0).
    public func upstreamStage(of stage: StageSpec) -> StageSpec {
        stage.index == 0 ? stages[stages.count - 1] : stages[stage.index - 1]
    }
}

extension ClusterSpec {
    /// Reads and validates a cluster file. Problems are reported all at once, each with
    /// the file, the line where it could be found, and the key.
    public static func load(path: String) throws(ClusterFileError) -> ClusterSpec {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "no such file"
            throw ClusterFileError(ClusterProblem(file: path, line: nil, key: nil, message: reason))
        }
        return try parse(text, path: path)
    }

    /// Validates cluster file text; `path` names it in messages and anchors `log_dir`.
    public static func parse(_ text: String, path: String) throws(ClusterFileError) -> ClusterSpec {
        try ClusterFileParser(text: text, path: path).parse()
    }
}
