import Foundation
import JanusCluster
import JanusServe
import JanusTestSupport

/// A cluster file written for one test: every endpoint an ipc socket in the test's own
/// temporary directory (no ports to race for), one node, `split = "even"` unless layers
/// are given. Removes its directory when closed.
final class TestCluster {
    let directory: URL
    let spec: ClusterSpec
    let path: String

    init(stages: Int = 2, layers: [Range<Int>]? = nil, encoders: Int = 1, decoders: Int = 1,
         heartbeatMilliseconds: Int = 100, liveness: Int = 600, policy: String = "") throws {
        // Short: ipc paths must fit a Unix socket address.
        let directory = URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("jw-\(UUID().uuidString.prefix(8))")
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func endpoint(_ name: String) -> String { "ipc://\(directory.path)/\(name)" }
        var text = """
            log_dir = "logs"
            \(layers == nil ? "split = \"even\"" : "")

            [[nodes]]
            name = "local"
            host = "127.0.0.1"

            [router]
            node = "local"
            client_endpoint = "\(endpoint("client"))"
            backend_endpoint = "\(endpoint("backend"))"

            [policy]
            heartbeat_interval_ms = \(heartbeatMilliseconds)
            heartbeat_liveness = \(liveness)
            \(policy)

            """
        if encoders > 0 { text += "[[encoders]]\nnode = \"local\"\nreplicas = \(encoders)\n\n" }
        for index in 0..<stages {
            text += "[[stages]]\nnode = \"local\"\ndata_endpoint = \"\(endpoint("stage-\(index)"))\"\n"
            if let layers { text += "layers = [\(layers[index].lowerBound), \(layers[index].upperBound)]\n" }
            text += "\n"
        }
        if decoders > 0 { text += "[[decoders]]\nnode = \"local\"\nreplicas = \(decoders)\n" }
        path = directory.appendingPathComponent("cluster.toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        spec = try ClusterSpec.load(path: path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var backendEndpoint: String { spec.router.backendEndpoint.description }

    func dataEndpoint(ofStage index: Int) -> String { spec.stages[index].dataEndpoint.description }

    /// Settings of process `name`, loading the golden tiny model.
    func settings(_ name: String, role: ProcessRole) throws -> WorkerSettings {
        try WorkerSettings(cluster: spec, name: name, role: role, modelDirectory: Fixtures.safetensorsModel)
    }
}
