import Foundation
import JanusServe
import JanusTensor
import JanusWire
import Testing

/// Pipeline stages over real sockets: the golden generation and understanding runs
/// batched together through two stages (and through one), steps and releases.
@Suite struct StagePipelineTests {
    /// Checks one sequence's events: steps 0, 1, … in order, only the last finished.
    static func expectOrdered(_ events: [SequenceEvent], reason: String, _ id: String) {
        #expect(events.map(\.step) == (0..<UInt32(events.count)).map { $0 }, "\(id) steps")
        #expect(events.dropLast().allSatisfy { !$0.tokens.finished }, "\(id) finished early")
        #expect(events.last?.tokens.finishReason == reason, "\(id) finish reason")
    }

    static func expectGoldenResults(_ events: [String: [SequenceEvent]], generation: String, understanding: String) throws {
        let generated = events[generation] ?? []
        expectOrdered(generated, reason: "max_tokens", generation)
        let grids = try GoldenSequences.generationGrids()
        #expect(generated.allSatisfy { $0.tokens.tokens.count == 2 })
        for image in 0..<2 {
            #expect(generated.map { $0.tokens.tokens[safe: image] } == grids[image].map { $0 }, "image \(image) grid")
        }
        let answer = events[understanding] ?? []
        expectOrdered(answer, reason: "max_tokens", understanding)
        #expect(answer.flatMap(\.tokens.tokens) == (try GoldenSequences.understandingAnswer()))
    }

    @Test func twoStagesRunGenerationAndUnderstandingTogether() throws {
        let pipeline = try RunningPipeline(stages: 2)
        defer { pipeline.stop() }
        let endpoints = (0..<2).map(pipeline.cluster.dataEndpoint(ofStage:))
        #expect(pipeline.hellos.map(\.stage) == [
            StageInfo(index: 0, count: 2, firstLayer: 0, endLayer: 2, dataEndpoint: endpoints[0]),
            StageInfo(index: 1, count: 2, firstLayer: 2, endLayer: 3, dataEndpoint: endpoints[1]),
        ])
        #expect(pipeline.hellos.allSatisfy { $0.role == .stage && $0.capacity == 64 })

        try pipeline.submit(try GoldenSequences.generation(id: "gen"))
        // The understanding request joins while the generation runs.
        let first = try #require(try pipeline.router.next { $0.requestID == "gen" })
        #expect(first.from == "stage-1", "events come from the last stage")
        try pipeline.submit(try GoldenSequences.understanding(id: "ask"))
        var events = try pipeline.events(until: ["gen", "ask"])
        if case .sequenceEvent(let event)? = first.message?.body { events["gen", default: []].insert(event, at: 0) }
        try Self.expectGoldenResults(events, generation: "gen", understanding: "ask")

        // Finished sequences are gone from stage 0 and the last stage; the router's
        // release clears the middle (here: none) and is harmless where already gone.
        try pipeline.release("gen")
        try pipeline.release("ask")
        #expect(try pipeline.waitForLoad(0))
    }

    @Test func aSingleStageKeepsTheLoopLocal() throws {
        let pipeline = try RunningPipeline(stages: 1)
        defer { pipeline.stop() }
        #expect(pipeline.hellos.first?.stage?.count == 1 && pipeline.hellos.first?.stage?.endLayer == 3)
        try pipeline.submit(try GoldenSequences.understanding(id: "ask"))
        try pipeline.submit(try GoldenSequences.generation(id: "gen"))
        try Self.expectGoldenResults(try pipeline.events(until: ["gen", "ask"]), generation: "gen", understanding: "ask")
        #expect(try pipeline.waitForLoad(0))
    }

    @Test func releaseFreesTheCachesOfEveryStage() throws {
        let pipeline = try RunningPipeline(stages: 2)
        defer { pipeline.stop() }
        try pipeline.submit(GoldenSequences.longText(id: "long"))
        for _ in 0..<3 { try #require(try pipeline.router.next { $0.requestID == "long" } != nil) }
        #expect(try pipeline.waitForLoad(1), "both stages hold the sequence's one row")

        try pipeline.release("long", reason: "cancelled")
        #expect(try pipeline.waitForLoad(0), "both stages dropped it")
        // Nothing of it is left to fail: later steps in flight are dropped quietly.
        #expect(try pipeline.router.nextError(timeout: 1) == nil)
    }

    @Test func aSequencePastItsDeadlineEndsAtStage0() throws {
        let pipeline = try RunningPipeline(stages: 2)
        defer { pipeline.stop() }
        let soon = UInt64(Date().timeIntervalSince1970 * 1000) + 300
        try pipeline.submit(GoldenSequences.longText(id: "slow", maxTokens: 8000, deadline: soon))
        let failure = try #require(try pipeline.router.nextError())
        #expect(failure.requestID == "slow" && failure.error.code == .deadlineExceeded && failure.error.origin == "stage-0")
        try pipeline.release("slow", reason: "deadline")
        #expect(try pipeline.waitForLoad(0))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
