import Foundation
import Testing
@testable import JanusCluster

@Suite struct ShippedClusterFileTests {
    @Test func localFileRunsEverythingOnLoopback() throws {
        let spec = try ClusterSpec.load(path: Repository.path("cluster/local.toml"))
        #expect(spec.name == "local")
        #expect(spec.nodes == [ClusterNode(name: "local", host: "127.0.0.1")])
        #expect(spec.processes.map(\.name) == ["router", "encoder-0", "stage-0", "stage-1", "decoder-0", "decoder-1"])
        #expect(spec.processes.allSatisfy { $0.node == "local" })
        #expect(spec.router.clientEndpoint.description == "tcp://127.0.0.1:57100")
        #expect(spec.router.backendEndpoint.description == "tcp://127.0.0.1:57101")
        #expect(spec.stages.map(\.dataEndpoint.description) == ["tcp://127.0.0.1:57110", "tcp://127.0.0.1:57111"])
        #expect(spec.layerSplit == .even)
        #expect(spec.logDirectory == Repository.path("cluster/.janus/logs"))
        #expect(try spec.resolvedLayerRanges(totalLayers: 24) == [0..<12, 12..<24])
    }

    @Test func multiNodeFileSpreadsRolesOverThreeMachines() throws {
        let spec = try ClusterSpec.load(path: Repository.path("cluster/multi-node.toml"))
        #expect(spec.name == "prod")
        #expect(spec.nodes.map(\.name) == ["gateway", "gpu-a", "gpu-b"])
        #expect(spec.logDirectory == "/var/log/janus")
        #expect(spec.processes(onNode: "gateway").map(\.name) == ["router", "encoder-0", "encoder-1"])
        #expect(spec.processes(onNode: "gpu-a").map(\.name) == ["stage-0", "decoder-a"])
        #expect(spec.processes(onNode: "gpu-b").map(\.name) == ["stage-1", "decoder-b"])
        #expect(spec.layerSplit == .explicit([0..<15, 15..<30]))
        #expect(spec.policy.understandingShare == 0.3)
        #expect(spec.policy.maxConcurrentGenerations == 8)
        #expect(spec.policy.defaultDeadlineMilliseconds == 120_000)
    }

    @Test func stagesKnowTheirNeighbours() throws {
        let spec = try ClusterSpec.load(path: Repository.path("cluster/multi-node.toml"))
        let first = try #require(spec.stage(named: "stage-0"))
        let last = try #require(spec.stage(named: "stage-1"))
        #expect(spec.downstreamEndpoint(of: first) == last.dataEndpoint)
        #expect(spec.downstreamEndpoint(of: last) == first.dataEndpoint)
        #expect(spec.upstreamStage(of: first) == last)
        #expect(spec.isLastStage(last) && !spec.isLastStage(first))
        #expect(try spec.layerRange(of: last, totalLayers: 30) == 15..<30)
        #expect(spec.replica(named: "decoder-b")?.node == "gpu-b")
        #expect(spec.replica(named: "decoder-b")?.index == 1)
        #expect(spec.process(named: "router")?.boundEndpoints.map(\.key) == ["client_endpoint", "backend_endpoint"])
    }
}
