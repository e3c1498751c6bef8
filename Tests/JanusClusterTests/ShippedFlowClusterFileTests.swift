import Foundation
import Testing
@testable import JanusCluster

@Suite struct ShippedFlowClusterFileTests {
    @Test func janusFlowFileRunsEverythingOnLoopbackBesideTheLocalOne() throws {
        let spec = try ClusterSpec.load(path: Repository.path("cluster/janusflow.toml"))
        #expect(spec.name == "janusflow")
        #expect(spec.processes.map(\.name) == ["router", "encoder-0", "stage-0", "stage-1", "decoder-0", "decoder-1"])
        #expect(spec.router.clientEndpoint.description == "tcp://127.0.0.1:57200")
        #expect(try spec.resolvedLayerRanges(totalLayers: 24) == [0..<12, 12..<24])
        // Both example clusters can run on one machine at once.
        let local = try ClusterSpec.load(path: Repository.path("cluster/local.toml"))
        let endpoints = { (spec: ClusterSpec) in Set(spec.processes.flatMap(\.boundEndpoints).map(\.endpoint.description)) }
        #expect(endpoints(spec).isDisjoint(with: endpoints(local)))
        #expect(spec.logDirectory != local.logDirectory)
    }

    @Test func onlyDecodersAreGivenTheVAE() throws {
        let spec = try ClusterSpec.load(path: Repository.path("cluster/janusflow.toml"))
        let plan = try ProcessPlan(spec: spec, nodes: ["local"], executable: "/usr/bin/janus",
                                   model: "/models/JanusFlow-1.3B", vae: "/models/sdxl-vae")
        for entry in plan.entries {
            let arguments = entry.command.arguments
            #expect(arguments.contains("--model") && arguments.contains("/models/JanusFlow-1.3B"))
            #expect(arguments.contains("--vae") == (entry.process.role == .decoder), "\(entry.process.name): \(arguments)")
        }
        #expect(plan.entries.first { $0.process.role == .decoder }?.command.arguments.suffix(2) == ["--vae", "/models/sdxl-vae"])
    }
}
