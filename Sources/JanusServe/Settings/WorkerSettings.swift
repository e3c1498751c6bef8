import JanusCluster

/// How often a worker and the router prove to each other that they are alive
/// (`[policy]` of the cluster file; the same for every process).
public struct HeartbeatSettings: Sendable, Equatable {
    public var intervalMilliseconds: Int
    /// Intervals of silence after which the peer counts as dead.
    public var liveness: Int

    public init(intervalMilliseconds: Int, liveness: Int) {
        self.intervalMilliseconds = max(intervalMilliseconds, 1)
        self.liveness = max(liveness, 1)
    }

    public init(policy: RouterPolicy) {
        self.init(intervalMilliseconds: policy.heartbeatIntervalMilliseconds, liveness: policy.heartbeatLiveness)
    }

    public var silenceLimitMilliseconds: Int { intervalMilliseconds * liveness }
}

/// What one worker process (`janus serve encoder|stage|decoder`) takes from the cluster
/// file and the command line: who it is, where the router is, how often to heartbeat,
/// and which model to load.
public struct WorkerSettings: Sendable {
    public let cluster: ClusterSpec
    public let name: String
    public let role: ProcessRole
    public let node: String
    /// The router's backend endpoint, as workers connect to it.
    public let routerEndpoint: String
    public var heartbeat: HeartbeatSettings
    public let modelDirectory: String
    /// The VAE a decoder of a JanusFlow checkpoint decodes latents with (`--vae`); nil
    /// for every other process.
    public var vaeDirectory: String?

    /// Looks `name` up in `cluster`; refuses a name the file does not have, a role that
    /// differs from the file's, and the router (which is no worker). `modelDirectory` is
    /// asked for only once the name fits (finding the default model may write it).
    public init(cluster: ClusterSpec, name: String, role: ProcessRole,
                modelDirectory: @autoclosure () throws -> String) throws {
        guard let process = cluster.process(named: name) else {
            let names = cluster.processes.map(\.name).joined(separator: ", ")
            throw SettingsError("\(cluster.displayPath) has no process named \"\(name)\" (it has \(names))")
        }
        guard process.role == role else {
            throw SettingsError("\"\(name)\" runs as \(process.role) in \(cluster.displayPath); "
                                    + "`janus serve \(role)` cannot run it")
        }
        guard role != .router else { throw SettingsError("\"\(name)\" is the router, not a worker") }
        self.cluster = cluster
        self.name = name
        self.role = role
        node = process.node
        routerEndpoint = cluster.router.backendEndpoint.description
        heartbeat = HeartbeatSettings(policy: cluster.policy)
        self.modelDirectory = try modelDirectory()
    }

    /// Reads and validates the cluster file, then looks the process up.
    public static func load(clusterFile: String, name: String, role: ProcessRole,
                            modelDirectory: @autoclosure () throws -> String,
                            vaeDirectory: String? = nil) throws -> WorkerSettings {
        var settings = try WorkerSettings(cluster: try ClusterSpec.load(path: clusterFile), name: name, role: role,
                                          modelDirectory: try modelDirectory())
        settings.vaeDirectory = vaeDirectory
        return settings
    }
}
