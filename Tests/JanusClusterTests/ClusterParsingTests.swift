import Foundation
import Testing
@testable import JanusCluster

@Suite struct ClusterParsingTests {
    @Test func defaultsFillWhatTheFileLeavesOut() throws {
        let spec = try ClusterText.parse(ClusterText.minimal, path: "/srv/janus/dev.toml")
        #expect(spec.name == "dev")
        #expect(spec.path == "/srv/janus/dev.toml")
        #expect(spec.logDirectory == "/srv/janus/.janus/logs")
        #expect(spec.policy == .defaults)
        #expect(spec.router.name == "router")
        #expect(spec.router.node == "local")
        #expect(spec.encoders == [ReplicaSpec(name: "encoder-0", node: "local", role: .encoder, index: 0)])
        #expect(spec.decoders.map(\.name) == ["decoder-0", "decoder-1"])
        #expect(spec.stages.map(\.name) == ["stage-0", "stage-1"])
        #expect(spec.stages.map(\.index) == [0, 1])
        #expect(spec.stages.allSatisfy { $0.layers == nil })
    }

    @Test func relativeLogDirectoryIsAnchoredAtTheFile() throws {
        let text = "log_dir = \"../logs\"\n" + ClusterText.minimal
        let spec = try ClusterText.parse(text, path: "/etc/janus/cluster.toml")
        #expect(spec.logDirectory == "/etc/logs")
    }

    @Test func replicaNamesAndNumbersRunAcrossGroups() throws {
        let text = ClusterText.minimal(replacing: "[[decoders]]\nreplicas = 2", with: """
            [[decoders]]
            replicas = 2

            [[decoders]]
            names = ["vq-fast"]

            [[decoders]]
            replicas = 1
            """)
        let spec = try ClusterText.parse(text)
        #expect(spec.decoders.map(\.name) == ["decoder-0", "decoder-1", "vq-fast", "decoder-3"])
        #expect(spec.decoders.map(\.index) == [0, 1, 2, 3])
        #expect(spec.decoders.allSatisfy { $0.role == .decoder })
    }

    @Test func explicitLayersAndPolicyAreRead() throws {
        var text = ClusterText.minimal(replacing: "split = \"even\"", with: "")
        text = text.replacingOccurrences(of: "data_endpoint = \"tcp://127.0.0.1:5560\"",
                                         with: "data_endpoint = \"tcp://127.0.0.1:5560\"\nlayers = [0, 10]")
        text = text.replacingOccurrences(of: "data_endpoint = \"tcp://127.0.0.1:5561\"",
                                         with: "data_endpoint = \"tcp://127.0.0.1:5561\"\nlayers = [10, 24]")
        text += """
            [policy]
            understanding_share = 0
            max_concurrent_generations = 2
            heartbeat_interval_ms = 250
            heartbeat_liveness = 5
            """
        let spec = try ClusterText.parse(text)
        #expect(spec.layerSplit == .explicit([0..<10, 10..<24]))
        #expect(spec.stages.map(\.layers) == [0..<10, 10..<24])
        #expect(spec.policy.understandingShare == 0)
        #expect(spec.policy.maxConcurrentGenerations == 2)
        #expect(spec.policy.peerTimeoutMilliseconds == 1_250)
        #expect(spec.policy.maxQueuedGeneration == RouterPolicy.defaults.maxQueuedGeneration)
    }

    @Test func ipcEndpointsWorkWhenEveryPeerIsOnTheSameNode() throws {
        let text = ClusterText.minimal(replacing: "tcp://127.0.0.1:5556", with: "ipc:///tmp/janus-backend")
        let spec = try ClusterText.parse(text)
        #expect(spec.router.backendEndpoint == Endpoint(ipcPath: "/tmp/janus-backend"))
    }

    @Test func hostNamesAreAcceptedAndCompareWithoutCase() throws {
        let text = ClusterText.minimal
            .replacingOccurrences(of: "host = \"127.0.0.1\"", with: "host = \"Build-Box.local\"")
            .replacingOccurrences(of: "tcp://127.0.0.1", with: "tcp://build-box.local")
        let spec = try ClusterText.parse(text)
        #expect(spec.nodes.first?.host == "build-box.local")
        #expect(spec.router.clientEndpoint.bindAddress == "tcp://*:5555")
    }
}
