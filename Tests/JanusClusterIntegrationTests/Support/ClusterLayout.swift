import Foundation

/// A cluster file for one test: router, encoders, two pipeline stages and decoders,
/// spread over nodes as the test says, on TCP, with a short heartbeat.
struct ClusterLayout {
    struct Node {
        var name: String
        var host: String
    }

    var nodes: [Node]
    /// Node of the router, of the encoder, of each stage, of each decoder.
    var routerNode: String
    var encoderNodes: [String]
    var stageNodes: [String]
    var decoderNodes: [String]
    /// Ports of the router's client and backend endpoints and of each stage's data endpoint.
    var routerPorts: (client: Int, backend: Int)
    var stagePorts: [Int]

    var heartbeatMilliseconds = 200
    var liveness = 3
    var maxConcurrentGenerations = 4
    var defaultDeadlineMilliseconds = 120_000

    /// Everything on one node on 127.0.0.1, with free ports: router, 1 encoder, 2
    /// stages, 2 decoders.
    static func local() throws -> ClusterLayout {
        let ports = try FreePorts.take(4)
        return ClusterLayout(nodes: [Node(name: "local", host: "127.0.0.1")], routerNode: "local",
                             encoderNodes: ["local"], stageNodes: ["local", "local"], decoderNodes: ["local", "local"],
                             routerPorts: (ports[0], ports[1]), stagePorts: [ports[2], ports[3]])
    }

    func host(of node: String) -> String { nodes.first { $0.name == node }!.host }

    var routerEndpoint: String { "tcp://\(host(of: routerNode)):\(routerPorts.client)" }
    var backendEndpoint: String { "tcp://\(host(of: routerNode)):\(routerPorts.backend)" }

    /// Every process name the file defines (the launcher's default names).
    var processNames: [String] {
        ["router"] + encoderNodes.indices.map { "encoder-\($0)" } + stageNodes.indices.map { "stage-\($0)" }
            + decoderNodes.indices.map { "decoder-\($0)" }
    }

    var toml: String {
        var text = """
            # Written by JanusClusterIntegrationTests.
            log_dir = "logs"
            split = "even"

            """
        for node in nodes { text += "[[nodes]]\nname = \"\(node.name)\"\nhost = \"\(node.host)\"\n\n" }
        text += """
            [router]
            node = "\(routerNode)"
            client_endpoint = "\(routerEndpoint)"
            backend_endpoint = "\(backendEndpoint)"

            [policy]
            max_concurrent_generations = \(maxConcurrentGenerations)
            default_deadline_ms = \(defaultDeadlineMilliseconds)
            heartbeat_interval_ms = \(heartbeatMilliseconds)
            heartbeat_liveness = \(liveness)


            """
        // One table per replica keeps the launcher's names (encoder-<n>, decoder-<n>)
        // in the order of the lists.
        for node in encoderNodes { text += "[[encoders]]\nnode = \"\(node)\"\nreplicas = 1\n\n" }
        for (index, node) in stageNodes.enumerated() {
            text += "[[stages]]\nnode = \"\(node)\"\ndata_endpoint = \"tcp://\(host(of: node)):\(stagePorts[index])\"\n\n"
        }
        for node in decoderNodes { text += "[[decoders]]\nnode = \"\(node)\"\nreplicas = 1\n\n" }
        return text
    }
}
