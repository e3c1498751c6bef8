import JanusCluster
import JanusServe
import JanusTestSupport
import Testing

/// What a worker takes from the cluster file: its identity, the router, heartbeats, and
/// for a stage its layers of the model and its neighbours.
@Suite struct WorkerSettingsTests {
    @Test func aWorkerFindsItselfAndTheRouter() throws {
        let cluster = try TestCluster(stages: 2, heartbeatMilliseconds: 250, liveness: 4)
        let settings = try cluster.settings("decoder-0", role: .decoder)
        #expect(settings.node == "local")
        #expect(settings.routerEndpoint == cluster.backendEndpoint)
        #expect(settings.heartbeat == HeartbeatSettings(intervalMilliseconds: 250, liveness: 4))
        #expect(settings.heartbeat.silenceLimitMilliseconds == 1000)
    }

    @Test func namesAndRolesMustMatchTheFile() throws {
        let cluster = try TestCluster(stages: 2)
        #expect(throws: SettingsError.self) { try cluster.settings("stage-0", role: .decoder) }
        #expect(throws: SettingsError.self) { try cluster.settings("stage-7", role: .stage) }
        #expect(throws: SettingsError.self) { try cluster.settings("router", role: .router) }
        let mismatch = #expect(throws: SettingsError.self) { try cluster.settings("encoder-0", role: .stage) }
        #expect(mismatch?.description.contains("runs as encoder") == true)
    }

    @Test func stagesSplitTheModelAndKnowTheirNeighbours() throws {
        let cluster = try TestCluster(stages: 2)
        let first = try StagePlacement(settings: try cluster.settings("stage-0", role: .stage), totalLayers: 3)
        let last = try StagePlacement(settings: try cluster.settings("stage-1", role: .stage), totalLayers: 3)
        #expect(first.layers == 0..<2 && last.layers == 2..<3)
        #expect(first.isFirst && !first.isLast && last.isLast && !last.isFirst)
        #expect(first.downstreamEndpoint == cluster.dataEndpoint(ofStage: 1))
        #expect(last.downstreamEndpoint == cluster.dataEndpoint(ofStage: 0), "the last stage feeds stage 0")
        #expect(first.dataEndpoint == cluster.dataEndpoint(ofStage: 0))

        let single = try TestCluster(stages: 1)
        let alone = try StagePlacement(settings: try single.settings("stage-0", role: .stage), totalLayers: 3)
        #expect(alone.layers == 0..<3 && alone.downstreamEndpoint == nil && alone.isFirst && alone.isLast)
    }

    @Test func explicitLayersMustCoverTheModel() throws {
        let cluster = try TestCluster(stages: 2, layers: [0..<1, 1..<2])
        let settings = try cluster.settings("stage-1", role: .stage)
        #expect(throws: SettingsError.self) { try StagePlacement(settings: settings, totalLayers: 3) }
        #expect(try StagePlacement(settings: settings, totalLayers: 2).layers == 1..<2)
        let tooDeep = try TestCluster(stages: 4)
        #expect(throws: SettingsError.self) {
            try StagePlacement(settings: try tooDeep.settings("stage-0", role: .stage), totalLayers: 3)
        }
    }
}
