import JanusModels
import JanusServe
import JanusTensor
import JanusWire
import Testing

/// The pipeline bodies of the wire ⇄ the engines' values: round trips, and every
/// refusal of a body the engines must never see.
@Suite struct WorkerWireMappingTests {
    static let text = JanusWire.SequenceSpec(sequenceID: "ask-1", mode: .text,
                                             sampling: Sampling(temperature: 0.7, topK: 40, topP: 0.9, seed: 42),
                                             maxTokens: 20, stopTokenIDs: [3001, 7], promptTokens: 12)
    static let image = JanusWire.SequenceSpec(sequenceID: "gen-1", mode: .image, images: 2, cfgWeight: 5,
                                              sampling: Sampling(temperature: 1, greedy: true, seed: 3), maxTokens: 576,
                                              padID: 100_015, promptTokens: 30)

    @Test func specsSurviveARoundTrip() throws {
        let spec = try JanusServe.SequenceSpec(wire: Self.text)
        #expect(spec.mode == .text(stopTokenIDs: [3001, 7]))
        #expect(spec.sampling == SamplingOptions(temperature: 0.7, topK: 40, topP: 0.9))
        #expect(spec.seed == 42 && spec.maxTokens == 20 && spec.promptTokens == 12)
        var expected = Self.text
        expected.stopTokenIDs = [7, 3001]  // a set: sorted on the way out
        #expect(spec.wire == expected)

        let generation = try JanusServe.SequenceSpec(wire: Self.image)
        #expect(generation.mode == .image(count: 2, cfgWeight: 5, padID: 100_015))
        #expect(generation.wire == Self.image)
        // proto3 leaves an unset temperature at 0; a greedy sampler never reads it.
        var coldGreedy = Self.image
        coldGreedy.sampling.temperature = 0
        #expect(try JanusServe.SequenceSpec(wire: coldGreedy).sampling.greedy)
    }

    @Test func specsThatCannotRunAreRefused() {
        func refused(_ change: (inout JanusWire.SequenceSpec) -> Void) -> WireError? {
            var spec = Self.image
            change(&spec)
            do {
                _ = try JanusServe.SequenceSpec(wire: spec)
                return nil
            } catch {
                return error
            }
        }
        let changes: [(String, (inout JanusWire.SequenceSpec) -> Void)] = [
            ("empty id", { $0.sequenceID = "" }),
            ("long id", { $0.sequenceID = String(repeating: "x", count: 129) }),
            ("no mode", { $0.mode = .unspecified }),
            ("no images", { $0.images = 0 }),
            ("65 images", { $0.images = 65 }),
            ("NaN cfg", { $0.cfgWeight = .nan }),
            ("negative cfg", { $0.cfgWeight = -1 }),
            ("no tokens", { $0.maxTokens = 0 }),
            ("no prompt", { $0.promptTokens = 0 }),
            ("cold sampler", { $0.sampling = Sampling(temperature: 0) }),
            ("top-p above 1", { $0.sampling = Sampling(temperature: 1, topP: 2) }),
        ]
        for (label, change) in changes {
            let error = refused(change)
            #expect(error?.code == .invalidArgument, "\(label)")
        }
        #expect(refused { $0.sequenceID = "named" }?.requestID == nil, "a valid spec passes")
        #expect(refused { $0.sequenceID = "named"; $0.images = 0 }?.requestID == "named", "errors name the sequence")
    }

    @Test func sampledTokensMapBothWays() throws {
        let finished = JanusWire.SequenceTokens(sequenceID: "s", tokens: [4, 5], finished: true, finishReason: "max_tokens")
        let tokens = try JanusServe.SequenceTokens(wire: finished, step: 15)
        #expect(tokens == JanusServe.SequenceTokens(sequenceID: "s", tokens: [4, 5], finish: .maxTokens, step: 15))
        #expect(tokens.wire == finished)
        #expect(tokens.event == SequenceEvent(tokens: finished, step: 15))

        let bad: [JanusWire.SequenceTokens] = [
            .init(sequenceID: "", tokens: [1]),
            .init(sequenceID: "s", tokens: [1], finished: true, finishReason: "stopped"),
            .init(sequenceID: "s", tokens: [1], finished: false, finishReason: "eos"),
            .init(sequenceID: "s", tokens: [Int64](repeating: 1, count: 65)),
        ]
        for wire in bad { #expect(throws: WireError.self) { try JanusServe.SequenceTokens(wire: wire) } }
    }

    static func step(_ slots: [RowSlot], rows: Int? = nil, dtype: DType = .f32,
                     announcing specs: [JanusWire.SequenceSpec] = []) -> (StepActivations, Tensor) {
        let count = rows ?? slots.reduce(0) { $0 + Int($1.tokenCount) }
        return (StepActivations(stepID: 9, slots: slots, newSequences: specs), Tensor(zeros: [count, 8], dtype: dtype))
    }

    @Test func stepsSurviveARoundTrip() throws {
        let (wire, hidden) = Self.step([RowSlot(sequenceID: "gen-1", row: 0, tokenCount: 30),
                                        RowSlot(sequenceID: "gen-1", row: 1, tokenCount: 30),
                                        RowSlot(sequenceID: "gen-1", row: 2, tokenCount: 30),
                                        RowSlot(sequenceID: "gen-1", row: 3, tokenCount: 30),
                                        RowSlot(sequenceID: "ask-1", row: 0, tokenCount: 1, position: 12)],
                                       announcing: [Self.image])
        let batch = try StepBatch(wire: wire, hidden: hidden)
        #expect(batch.slots.count == 5 && batch.sequenceIDs == ["gen-1", "ask-1"])
        #expect(batch.wire == wire)
        let decoded = try StepBatch(message: try WireMessage(frames: batch.message.encodedFrames()))
        #expect(decoded.wire == wire && decoded.hidden.shape == [121, 8])
    }

    @Test func stepsThatDoNotHoldTogetherAreRefused() {
        let a0 = RowSlot(sequenceID: "a", row: 0, tokenCount: 1, position: 4)
        let a1 = RowSlot(sequenceID: "a", row: 1, tokenCount: 1, position: 4)
        let b0 = RowSlot(sequenceID: "b", row: 0, tokenCount: 1, position: 2)
        let cases: [(String, (StepActivations, Tensor))] = [
            ("no slots", Self.step([])),
            ("rows lie", Self.step([a0, a1], rows: 3)),
            ("not f32", Self.step([a0], dtype: .i64)),
            ("starts at row 1", Self.step([a1])),
            ("rows out of order", Self.step([a0, a1, a1])),
            ("split apart", Self.step([a0, b0, a1])),
            ("positions differ", Self.step([a0, RowSlot(sequenceID: "a", row: 1, tokenCount: 1, position: 5)])),
            ("no tokens", Self.step([RowSlot(sequenceID: "c")])),
            ("announced twice", Self.step([RowSlot(sequenceID: "ask-1", tokenCount: 12)], announcing: [Self.text, Self.text])),
            ("announced, absent", Self.step([a0], announcing: [Self.text])),
        ]
        for (label, (wire, hidden)) in cases {
            #expect(throws: WireError.self, "\(label)") { try StepBatch(wire: wire, hidden: hidden) }
        }
    }
}
