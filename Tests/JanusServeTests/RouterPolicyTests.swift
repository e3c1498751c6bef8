import Foundation
import JanusServe
import Testing

@Suite struct WorkerRegistryTests {
    func worker(_ name: String, _ role: WorkerRole, node: String = "a", capacity: Int = 2, id: UInt8,
                stage: Worker.Stage? = nil) -> Worker {
        Worker(name: name, role: role, node: node, capacity: capacity, stage: stage, routingID: Data([id]),
               lastSeenMilliseconds: 0)
    }

    @Test func leastLoadedPrefersTheLightestLiveReplica() {
        var registry = WorkerRegistry(livenessMilliseconds: 3000)
        registry.register(worker("decoder-0", .decoder, id: 1))
        registry.register(worker("decoder-1", .decoder, id: 2))
        #expect(registry.leastLoaded(.decoder)?.name == "decoder-0")
        registry.changeOutstanding("decoder-0", by: 1)
        #expect(registry.leastLoaded(.decoder)?.name == "decoder-1")
        #expect(registry.leastLoaded(.decoder, excluding: ["decoder-1"])?.name == "decoder-0")
        #expect(registry.leastLoaded(.encoder) == nil)
    }

    @Test func silentWorkersExpireOnceAndComeBackOnRegistration() {
        var registry = WorkerRegistry(livenessMilliseconds: 3000)
        registry.register(worker("decoder-0", .decoder, id: 1))
        registry.register(worker("decoder-1", .decoder, id: 2))
        registry.heard(from: "decoder-1", at: 2500)
        let lost = registry.expire(now: 3500)
        #expect(lost.map(\.name) == ["decoder-0"])
        let lostAgain = registry.expire(now: 3600)
        #expect(lostAgain.isEmpty)
        #expect(registry.leastLoaded(.decoder)?.name == "decoder-1")
        // A restarted process says hello from a new connection: its old work is lost.
        var restarted = worker("decoder-0", .decoder, id: 9)
        restarted.lastSeenMilliseconds = 4000
        let previous = registry.register(restarted)
        #expect(previous?.routingID == Data([1]))
        #expect(registry.worker(routingID: Data([9]))?.alive == true)
    }

    @Test func drainedNodesGetNoNewWorkAndStopThePipeline() {
        var registry = WorkerRegistry(livenessMilliseconds: 3000)
        registry.register(worker("stage-0", .stage, node: "a", id: 1,
                                 stage: .init(index: 0, count: 2, layers: 0..<2, dataEndpoint: "tcp://a:1")))
        #expect(registry.readyPipeline == nil)  // stage 1 missing
        registry.register(worker("stage-1", .stage, node: "b", id: 2,
                                 stage: .init(index: 1, count: 2, layers: 2..<3, dataEndpoint: "tcp://b:1")))
        #expect(registry.readyPipeline?.map(\.name) == ["stage-0", "stage-1"])
        registry.register(worker("decoder-0", .decoder, node: "b", id: 3))
        let drained = registry.drain(node: "b")
        #expect(drained == 2)
        #expect(registry.leastLoaded(.decoder) == nil)
        #expect(registry.readyPipeline == nil)
    }
}

@Suite struct AdmissionControlTests {
    @Test func understandingKeepsItsShareOfThePipeline() {
        var control = AdmissionControl(policy: AdmissionPolicy(understandingShare: 0.25, maxConcurrentGenerations: 10,
                                                            maxQueuedGeneration: 10, maxQueuedUnderstanding: 10, pipelineRows: 8))
        for index in 0..<4 { _ = control.enqueue("g\(index)", kind: .generate, rows: 2) }
        // 6 of 8 rows may go to generation: three requests of 2 rows.
        let first = control.admit().map(\.id)
        #expect(first == ["g0", "g1", "g2"])
        let queued = control.enqueue("u0", kind: .understand, rows: 1)
        #expect(queued)
        let second = control.admit().map(\.id)
        #expect(second == ["u0"])
        control.finish("g0")
        let third = control.admit().map(\.id)
        #expect(third == ["g3"])
        #expect(control.rowsInUse == 7)
    }

    @Test func concurrentGenerationsAreCapped() {
        var control = AdmissionControl(policy: AdmissionPolicy(understandingShare: 0, maxConcurrentGenerations: 1,
                                                            maxQueuedGeneration: 10, maxQueuedUnderstanding: 10, pipelineRows: 64))
        _ = control.enqueue("a", kind: .generate, rows: 2)
        _ = control.enqueue("b", kind: .generate, rows: 2)
        let first = control.admit().map(\.id)
        #expect(first == ["a"])
        let none = control.admit()
        #expect(none.isEmpty)
        control.finish("a")
        let second = control.admit().map(\.id)
        #expect(second == ["b"])
    }

    @Test func fullQueuesRefuseAndOversizedRequestsRunAlone() {
        var control = AdmissionControl(policy: AdmissionPolicy(understandingShare: 0.5, maxConcurrentGenerations: 4,
                                                            maxQueuedGeneration: 1, maxQueuedUnderstanding: 1, pipelineRows: 4))
        let big = control.enqueue("big", kind: .generate, rows: 4)
        let next = control.enqueue("next", kind: .generate, rows: 2)
        #expect(big && !next)
        let admitted = control.admit().map(\.id)
        #expect(admitted == ["big"])
        #expect(control.queued(.generate) == 0 && control.inFlight(.generate) == 1)
    }
}

@Suite struct LatencyStatsTests {
    @Test func percentilesUseTheRecentWindow() {
        var stats = LatencyStats(window: 4)
        #expect(stats.percentile(50) == 0)
        for value in [10.0, 20, 30, 40, 50] { stats.recordSuccess(milliseconds: value) }
        stats.recordFailure()
        #expect(stats.completed == 5 && stats.failed == 1)
        #expect(stats.percentile(50) == 30)  // window holds 50, 20, 30, 40
        #expect(stats.percentile(99) == 50)
    }
}
