import Foundation
import JanusServe
import JanusTensor
import JanusWire
import Testing

/// What pipeline stages refuse, over real sockets: broken frames on the router link and
/// the data sockets, submissions they cannot run, and steps that do not match their
/// state. Each refusal is an `Error` to the router (naming the sequence when there is
/// one), and the pipeline still serves the golden request afterwards.
@Suite struct StageRefusalTests {
    static let hidden = 64

    /// A one-step message as stage 0 would push it: `slots`, `announcing` specs, and
    /// `rows` × `width` activations.
    static func step(_ slots: [RowSlot], announcing specs: [JanusWire.SequenceSpec] = [], rows: Int? = nil,
                     width: Int = hidden) -> WireMessage {
        let count = rows ?? slots.reduce(0) { $0 + Int($1.tokenCount) }
        return WireMessage(requestID: "step-99", body: .step(StepActivations(stepID: 99, slots: slots, newSequences: specs)),
                           tensors: ["hidden": Tensor(zeros: [count, width])])
    }

    static func textSpec(_ id: String, promptTokens: UInt32 = 3) -> JanusWire.SequenceSpec {
        JanusWire.SequenceSpec(sequenceID: id, mode: .text, sampling: Sampling(greedy: true), maxTokens: 4,
                               promptTokens: promptTokens)
    }

    /// The golden understanding run still comes out right.
    static func expectStillServing(_ pipeline: RunningPipeline, id: String = "after") throws {
        try pipeline.submit(try GoldenSequences.understanding(id: id))
        let events = try pipeline.events(until: [id])
        #expect(events[id]?.flatMap(\.tokens.tokens) == (try GoldenSequences.understandingAnswer()))
    }

    /// Waits for an `Error` naming `requestID` and returns it.
    static func refusal(_ pipeline: RunningPipeline, _ requestID: String) throws -> ErrorReply? {
        try pipeline.router.nextError { id, _ in id == requestID }?.error
    }

    @Test func stepsThatDoNotMatchTheStageAreReportedByName() throws {
        let pipeline = try RunningPipeline(stages: 2)
        defer { pipeline.stop() }
        let stage1 = pipeline.cluster.dataEndpoint(ofStage: 1)
        let push = { (message: WireMessage) in try pipeline.router.push(try message.encodedFrames(), to: stage1) }

        // Never announced.
        try push(Self.step([RowSlot(sequenceID: "ghost", tokenCount: 1, position: 3)]))
        let ghost = try #require(try Self.refusal(pipeline, "ghost"))
        #expect(ghost.code == .invalidArgument && ghost.origin == "stage-1" && ghost.message.contains("unknown sequence"))
        // Announced, but at a position its (new) cache does not have: a desync.
        try push(Self.step([RowSlot(sequenceID: "desync", tokenCount: 1, position: 2)], announcing: [Self.textSpec("desync")]))
        #expect(try Self.refusal(pipeline, "desync")?.message.contains("position") == true)
        // A first step must bring the whole prompt.
        try push(Self.step([RowSlot(sequenceID: "short", tokenCount: 2, position: 0)], announcing: [Self.textSpec("short")]))
        #expect(try Self.refusal(pipeline, "short") != nil)
        // Activations of the wrong width fail every sequence of the step.
        try push(Self.step([RowSlot(sequenceID: "narrow", tokenCount: 3)], announcing: [Self.textSpec("narrow")], width: 32))
        #expect(try Self.refusal(pipeline, "narrow") != nil)
        // Slots that lie about `hidden`'s rows, and slots of one sequence split apart.
        try push(Self.step([RowSlot(sequenceID: "rows", tokenCount: 3)], announcing: [Self.textSpec("rows")], rows: 5))
        #expect(try Self.refusal(pipeline, "rows")?.message.contains("rows") == true)
        try push(Self.step([RowSlot(sequenceID: "a", tokenCount: 1, position: 1), RowSlot(sequenceID: "b", tokenCount: 1, position: 1),
                            RowSlot(sequenceID: "a", row: 1, tokenCount: 1, position: 1)]))
        #expect(try Self.refusal(pipeline, "a")?.message.contains("contiguous") == true)
        // One bad sequence does not hold up a good one in the same step.
        try push(Self.step([RowSlot(sequenceID: "fine", tokenCount: 3), RowSlot(sequenceID: "lost", tokenCount: 1, position: 7)],
                           announcing: [Self.textSpec("fine")]))
        #expect(try Self.refusal(pipeline, "lost") != nil)
        let fine = try #require(try pipeline.router.next { $0.requestID == "fine" }?.message)
        guard case .sequenceEvent(let event) = fine.body else {
            Issue.record("expected an event for the good sequence, got \(fine.body.fieldName)")
            return
        }
        #expect(event.step == 0 && event.tokens.tokens.count == 1)
        try pipeline.release("fine")
        try Self.expectStillServing(pipeline)
    }

    @Test func tokensThatDoNotFitASequenceFailIt() throws {
        let pipeline = try RunningPipeline(stages: 2)
        defer { pipeline.stop() }
        let stage0 = pipeline.cluster.dataEndpoint(ofStage: 0)
        let sampled = { (tokens: [JanusWire.SequenceTokens]) in
            try pipeline.router.push(try WireMessage(requestID: "sampled-7", body: .sampled(SampledTokens(stepID: 7, sequences: tokens)))
                .encodedFrames(), to: stage0)
        }
        // Tokens of a sequence stage 0 does not know: released meanwhile, ignored.
        try sampled([JanusWire.SequenceTokens(sequenceID: "gone", tokens: [5])])
        // A finish reason nobody defined.
        try sampled([JanusWire.SequenceTokens(sequenceID: "odd", tokens: [5], finished: true, finishReason: "bored")])
        let odd = try #require(try Self.refusal(pipeline, "odd"))
        #expect(odd.code == .invalidArgument && odd.origin == "stage-0")
        // A sequence twice in one step.
        try sampled([JanusWire.SequenceTokens(sequenceID: "dup", tokens: [5]), JanusWire.SequenceTokens(sequenceID: "dup", tokens: [6])])
        #expect(try Self.refusal(pipeline, "dup")?.message.contains("twice") == true)
        #expect(try pipeline.router.nextError(timeout: 0.5) == nil, "nothing about 'gone'")
        // Three tokens for a text sequence (whose step is in flight, or not: either is a
        // desync) fail it.
        try pipeline.submit(GoldenSequences.longText(id: "long"))
        try #require(try pipeline.router.next { $0.requestID == "long" } != nil)
        try sampled([JanusWire.SequenceTokens(sequenceID: "long", tokens: [5, 6, 7])])
        let long = try #require(try Self.refusal(pipeline, "long"))
        #expect(long.code == .invalidArgument && long.origin == "stage-0")
        try pipeline.release("long")
        #expect(try pipeline.waitForLoad(0))
        try Self.expectStillServing(pipeline)
    }

    @Test func submissionsThatCannotRunAreRefusedWithTheSequenceID() throws {
        let pipeline = try RunningPipeline(stages: 2, maxRows: 4)
        defer { pipeline.stop() }
        func submission(_ spec: JanusWire.SequenceSpec, prompt: [Int64] = [3000, 39, 2636],
                        extra: KeyValuePairs<String, Tensor> = [:], deadline: UInt64 = 0) -> WireMessage {
            var message = WireMessage(requestID: spec.sequenceID, deadlineMilliseconds: deadline,
                                      body: .submitSequence(SubmitSequence(spec: spec)),
                                      tensors: ["prompt_ids": Tensor(shape: [prompt.count], prompt)])
            message.tensors += extra.map { NamedTensor(name: $0.key, tensor: $0.value) }
            return message
        }
        var unspecified = Self.textSpec("unspecified")
        unspecified.mode = .unspecified
        var images = Self.textSpec("too-many-rows")
        images.mode = .image
        images.images = 3
        images.cfgWeight = 5
        var pad = Self.textSpec("bad-pad")
        pad.mode = .image
        pad.images = 1
        pad.padID = 99_999
        var huge = Self.textSpec("huge")
        huge.maxTokens = 20_000
        var hot = Self.textSpec("hot")
        hot.sampling = Sampling(temperature: 0)
        let cases: [(WireMessage, ErrorCode)] = [
            (submission(unspecified), .invalidArgument),
            (submission(Self.textSpec("count"), prompt: [3000, 39]), .invalidArgument),
            (submission(Self.textSpec("vocabulary"), prompt: [3000, 39, 99_999]), .invalidArgument),
            (submission(images), .overloaded),
            (submission(pad), .invalidArgument),
            (submission(huge), .invalidArgument),
            (submission(hot), .invalidArgument),
            (submission(Self.textSpec("width"), extra: ["image_embeddings": Tensor(zeros: [1, 32]),
                                                          "image_positions": Tensor(shape: [1], [Int64(1)])]), .invalidArgument),
            (submission(Self.textSpec("positions"), extra: ["image_embeddings": Tensor(zeros: [2, 64]),
                                                              "image_positions": Tensor(shape: [1], [Int64(1)])]), .invalidArgument),
            (submission(Self.textSpec("half"), extra: ["image_embeddings": Tensor(zeros: [1, 64])]), .malformed),
            (submission(Self.textSpec("place"), extra: ["image_embeddings": Tensor(zeros: [1, 64]),
                                                          "image_positions": Tensor(shape: [1], [Int64(7)])]), .invalidArgument),
            (submission(Self.textSpec("late"), deadline: 1), .deadlineExceeded),
        ]
        for (message, code) in cases {
            try pipeline.submit(message)
            let error = try #require(try Self.refusal(pipeline, message.requestID), "\(message.requestID) not refused")
            #expect(error.code == code, "\(message.requestID): \(error)")
        }
        // Only stage 0 admits sequences.
        try pipeline.router.send(submission(Self.textSpec("elsewhere")), to: "stage-1")
        #expect(try Self.refusal(pipeline, "elsewhere")?.code == .invalidArgument)
        // A sequence id that is already running.
        try pipeline.submit(GoldenSequences.longText(id: "twice"))
        try pipeline.submit(GoldenSequences.longText(id: "twice"))
        #expect(try Self.refusal(pipeline, "twice")?.message.contains("already running") == true)
        try pipeline.release("twice")
        try Self.expectStillServing(pipeline)
    }

    @Test func malformedFramesOnEverySocketAreRefused() throws {
        let pipeline = try RunningPipeline(stages: 2)
        defer { pipeline.stop() }
        let submit = try GoldenSequences.understanding(id: "valid")
        let step = Self.step([RowSlot(sequenceID: "x", tokenCount: 1, position: 1)])
        let targets: [(label: String, valid: WireMessage, send: ([Data]) throws -> Void, origin: String)] = [
            ("stage-0 backend", submit, { try pipeline.router.sendFrames($0, to: "stage-0") }, "stage-0"),
            ("stage-1 backend", submit, { try pipeline.router.sendFrames($0, to: "stage-1") }, "stage-1"),
            ("stage-0 data", step, { try pipeline.router.push($0, to: pipeline.cluster.dataEndpoint(ofStage: 0)) }, "stage-0"),
            ("stage-1 data", step, { try pipeline.router.push($0, to: pipeline.cluster.dataEndpoint(ofStage: 1)) }, "stage-1"),
        ]
        for target in targets {
            for bad in try MalformedFrames.cases(from: target.valid) {
                try target.send(bad.frames)
                let refusal = try #require(try pipeline.router.nextError(), "\(target.label): no Error for \(bad.label)")
                #expect(bad.codes.contains(refusal.error.code), "\(target.label), \(bad.label): \(refusal.error)")
                #expect(refusal.error.origin == target.origin, "\(target.label), \(bad.label)")
            }
        }
        try Self.expectStillServing(pipeline)
    }
}
