import JanusServe
import JanusTensor
import JanusWire
import Testing

/// FLOW sequences on the wire ⇄ the engines' values: their spec, their step slots (rows
/// of one sequence may cache different prompt lengths; all start at one position) and
/// their latents next to the sampled tokens and the final event.
@Suite struct FlowWireMappingTests {
    static let flow = JanusWire.SequenceSpec(sequenceID: "draw-1", mode: .flow, images: 2, cfgWeight: 2,
                                             sampling: Sampling(seed: 77), maxTokens: 25, padID: 3002,
                                             promptTokens: 14, flowSteps: 3, latentChannels: 4, latentSize: 10)

    @Test func flowSpecsSurviveARoundTrip() throws {
        let spec = try JanusServe.SequenceSpec(wire: Self.flow)
        #expect(spec.mode == .flow(FlowSequence(count: 2, cfgWeight: 2, padID: 3002, steps: 3, latentChannels: 4,
                                                latentSize: 10)))
        #expect(spec.seed == 77 && spec.maxTokens == 25 && spec.promptTokens == 14)
        #expect(spec.wire == Self.flow)
    }

    @Test func flowSpecsThatCannotRunAreRefused() {
        let changes: [(String, (inout JanusWire.SequenceSpec) -> Void)] = [
            ("no images", { $0.images = 0 }),
            ("NaN cfg", { $0.cfgWeight = .nan }),
            ("no steps", { $0.flowSteps = 0 }),
            ("too many steps", { $0.flowSteps = 1001 }),
            ("no channels", { $0.latentChannels = 0 }),
            ("huge latents", { $0.latentSize = 1 << 20 }),
            ("BOS only", { $0.promptTokens = 1 }),
            ("no image tokens", { $0.maxTokens = 0 }),
        ]
        for (label, change) in changes {
            var spec = Self.flow
            change(&spec)
            #expect(throws: WireError.self, "\(label)") { try JanusServe.SequenceSpec(wire: spec) }
        }
    }

    /// A prefill (each row its own prefix) and an ODE step (rewound to the prefix, all
    /// rows from the prompt's last position) of a one-image flow sequence.
    @Test func flowStepsMapBothWays() throws {
        let prefill = [RowSlot(sequenceID: "draw-1", row: 0, tokenCount: 13),
                       RowSlot(sequenceID: "draw-1", row: 1, tokenCount: 1)]
        let step = [RowSlot(sequenceID: "draw-1", row: 0, tokenCount: 26, position: 13),
                    RowSlot(sequenceID: "draw-1", row: 1, tokenCount: 26, position: 1, firstPosition: 13)]
        for slots in [prefill, step] {
            let rows = slots.reduce(0) { $0 + Int($1.tokenCount) }
            let wire = StepActivations(stepID: 4, slots: slots, newSequences: [Self.flow])
            let batch = try StepBatch(wire: wire, hidden: Tensor(zeros: [rows, 8]))
            #expect(batch.wire == wire)
            #expect(Set(batch.slots.map(\.firstPosition)).count == 1)
        }
        let inside = [RowSlot(sequenceID: "draw-1", row: 0, tokenCount: 1, position: 13, firstPosition: 12)]
        let apart = [step[0], RowSlot(sequenceID: "draw-1", row: 1, tokenCount: 26, position: 1, firstPosition: 14)]
        for slots in [inside, apart] {
            let rows = slots.reduce(0) { $0 + Int($1.tokenCount) }
            #expect(throws: WireError.self) {
                try StepBatch(wire: StepActivations(stepID: 5, slots: slots), hidden: Tensor(zeros: [rows, 8]))
            }
        }
    }

    @Test func latentsRideWithTheSampledTokensAndTheFinalEvent() throws {
        let latents = Tensor(shape: [1, 4, 2, 2], (0..<16).map { Float($0) / 7 })
        let running = JanusServe.SequenceTokens(sequenceID: "draw-1", tokens: [], finish: nil, step: 1, latents: latents)
        let done = JanusServe.SequenceTokens(sequenceID: "draw-2", tokens: [], finish: .complete, step: 3, latents: latents)
        let text = JanusServe.SequenceTokens(sequenceID: "ask-1", tokens: [5], finish: nil, step: 2)

        let message = try WireMessage(frames: SequenceTokens.sampledMessage([text, running, done], stepID: 8).encodedFrames())
        // Only the sequence that goes on needs its latents back at stage 0.
        #expect(message.tensors.map(\.name) == ["latents.1"])
        let read = try (0..<3).map { try JanusServe.SequenceTokens(sampled: message, index: $0) }
        // `SampledTokens` carries no step index (stage 0 keeps its own count).
        let unnumbered = [text, running, JanusServe.SequenceTokens(sequenceID: "draw-2", tokens: [], finish: .complete, step: 0)]
            .map { var result = $0; result.step = 0; return result }
        #expect(read == unnumbered)

        #expect(running.eventMessage.tensors.isEmpty, "the router hears progress, not every step's latents")
        let event = try WireMessage(frames: done.eventMessage.encodedFrames())
        #expect(event.requestID == "draw-2" && event.tensor(named: "latents")?.floats() == latents.floats())
        guard case .sequenceEvent(let body) = event.body else { Issue.record("not an event"); return }
        #expect(body.tokens.finishReason == "complete" && body.step == 3)

        var broken = message
        broken.tensors[0].tensor = Tensor(zeros: [4], dtype: .i64)
        #expect(throws: WireError.self) { try JanusServe.SequenceTokens(sampled: broken, index: 1) }
    }
}
