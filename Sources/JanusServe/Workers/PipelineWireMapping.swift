import JanusModels
import JanusTensor
import JanusWire

// The one place where pipeline bodies of the wire (`JanusWire.SequenceSpec`, `RowSlot`,
// `StepActivations`, `JanusWire.SequenceTokens`, …) become the engine's values and back.
// Everything arriving from a peer is checked here before an engine sees it: ids, enums,
// counts, and that a step's slots describe its `hidden` tensor exactly. Checks that need
// a stage's state (known sequences, positions) are the engine's (`PipelineStage.problems`).

/// Bounds of the mapping. Sequence ids travel back as request ids of `Error` replies,
/// so they obey the header's request-id limit.
enum PipelineWireLimits {
    static let maxSequenceIDBytes = WireLimits.default.maxRequestIDBytes
    /// Images one generation sequence carries (the engines' limit too).
    static let maxImages: UInt32 = 64
}

private func invalid(_ message: String, _ sequenceID: String? = nil) -> WireError {
    WireError(.invalidArgument, message, requestID: sequenceID)
}

private func checkSequenceID(_ id: String, _ what: String) throws(WireError) {
    guard !id.isEmpty else { throw invalid("\(what) has an empty sequence_id") }
    guard id.utf8.count <= PipelineWireLimits.maxSequenceIDBytes else {
        throw invalid("\(what) has a sequence_id of \(id.utf8.count) bytes; "
                        + "the limit is \(PipelineWireLimits.maxSequenceIDBytes)")
    }
}

// MARK: Sequence specs

extension SamplingOptions {
    /// proto3 leaves absent numbers at 0: top-k and top-p 0 mean "off", and a greedy
    /// sampler never reads its temperature.
    init(wire: Sampling) throws(WireError) {
        self.init(temperature: wire.greedy && wire.temperature == 0 ? 1 : wire.temperature,
                  topK: wire.topK == 0 ? nil : Int(wire.topK),
                  topP: wire.topP == 0 ? nil : wire.topP,
                  greedy: wire.greedy)
        do {
            try validate()
        } catch {
            throw invalid("sampling: \(error)")
        }
    }

    func wire(seed: UInt64) -> Sampling {
        Sampling(temperature: temperature, topK: topK.map { UInt32(clamping: $0) } ?? 0, topP: topP ?? 0,
                 greedy: greedy, seed: seed)
    }
}

extension SequenceSpec {
    /// The engine's spec, or INVALID_ARGUMENT (naming the sequence once its id is known)
    /// for an empty or oversized id, an unknown mode, zero counts, a bad image count,
    /// CFG weight or sampling option.
    public init(wire: JanusWire.SequenceSpec) throws(WireError) {
        try checkSequenceID(wire.sequenceID, "sequence spec")
        let id = wire.sequenceID
        let mode: SequenceMode
        switch wire.mode {
        case .text:
            mode = .text(stopTokenIDs: Set(wire.stopTokenIDs.map { Int($0) }))
        case .image:
            guard (1...PipelineWireLimits.maxImages).contains(wire.images) else {
                throw invalid("sequence \(id): \(wire.images) images; expected 1…\(PipelineWireLimits.maxImages)", id)
            }
            guard wire.cfgWeight.isFinite, wire.cfgWeight >= 0 else {
                throw invalid("sequence \(id): cfg_weight must be finite and ≥ 0, got \(wire.cfgWeight)", id)
            }
            mode = .image(count: Int(wire.images), cfgWeight: wire.cfgWeight, padID: Int(wire.padID))
        case .unspecified:
            throw invalid("sequence \(id): mode is unspecified (expected TEXT or IMAGE)", id)
        }
        guard wire.maxTokens >= 1 else { throw invalid("sequence \(id): max_tokens is 0", id) }
        guard wire.promptTokens >= 1 else { throw invalid("sequence \(id): prompt_tokens is 0", id) }
        let sampling: SamplingOptions
        do throws(WireError) {
            sampling = try SamplingOptions(wire: wire.sampling)
        } catch {
            throw invalid("sequence \(id): \(error.message)", id)
        }
        self.init(id: id, mode: mode, sampling: sampling, seed: wire.sampling.seed,
                  maxTokens: Int(wire.maxTokens), promptTokens: Int(wire.promptTokens))
    }

    public var wire: JanusWire.SequenceSpec {
        var spec = JanusWire.SequenceSpec(sequenceID: id, sampling: sampling.wire(seed: seed),
                                          maxTokens: UInt32(clamping: maxTokens),
                                          promptTokens: UInt32(clamping: promptTokens))
        switch mode {
        case .text(let stopTokenIDs):
            spec.mode = .text
            spec.stopTokenIDs = stopTokenIDs.sorted().map { Int64($0) }
        case .image(let count, let cfgWeight, let padID):
            spec.mode = .image
            spec.images = UInt32(clamping: count)
            spec.cfgWeight = cfgWeight
            spec.padID = UInt32(clamping: padID)
        }
        return spec
    }
}

// MARK: Sampled tokens

extension SequenceTokens {
    /// The engine's value; `step` comes from the `SequenceEvent` carrying it (0 when
    /// there is none, as in `SampledTokens`). A finished sequence must name its reason
    /// ("eos" or "max_tokens"); an unfinished one must not.
    public init(wire: JanusWire.SequenceTokens, step: Int = 0) throws(WireError) {
        try checkSequenceID(wire.sequenceID, "sampled tokens")
        let id = wire.sequenceID
        let finish: FinishReason?
        if wire.finished {
            guard let reason = FinishReason(rawValue: wire.finishReason) else {
                throw invalid("sequence \(id): finish_reason '\(wire.finishReason.prefix(32))' "
                                + "(expected eos or max_tokens)", id)
            }
            finish = reason
        } else {
            guard wire.finishReason.isEmpty else {
                throw invalid("sequence \(id): finish_reason set on an unfinished sequence", id)
            }
            finish = nil
        }
        guard wire.tokens.count <= Int(PipelineWireLimits.maxImages) else {
            throw invalid("sequence \(id): \(wire.tokens.count) tokens in one step", id)
        }
        guard let tokens = Self.integers(wire.tokens) else {
            throw invalid("sequence \(id): a token id does not fit this machine's integers", id)
        }
        self.init(sequenceID: id, tokens: tokens, finish: finish, step: step)
    }

    public var wire: JanusWire.SequenceTokens {
        JanusWire.SequenceTokens(sequenceID: sequenceID, tokens: tokens.map { Int64($0) },
                                 finished: finish != nil, finishReason: finish?.rawValue ?? "")
    }

    /// The event the last stage sends the router for this step of the sequence.
    public var event: SequenceEvent {
        SequenceEvent(tokens: wire, step: UInt32(clamping: step))
    }

    private static func integers(_ values: [Int64]) -> [Int]? {
        var result: [Int] = []
        result.reserveCapacity(values.count)
        for value in values {
            guard let converted = Int(exactly: value) else { return nil }
            result.append(converted)
        }
        return result
    }
}

// MARK: Steps

extension StepSlot {
    init(wire: RowSlot) throws(WireError) {
        try checkSequenceID(wire.sequenceID, "row slot")
        guard wire.tokenCount >= 1 else {
            throw invalid("sequence \(wire.sequenceID) row \(wire.row): token_count is 0", wire.sequenceID)
        }
        self.init(sequenceID: wire.sequenceID, row: Int(wire.row), tokenCount: Int(wire.tokenCount),
                  position: Int(wire.position))
    }

    var wire: RowSlot {
        RowSlot(sequenceID: sequenceID, row: UInt32(clamping: row), tokenCount: UInt32(clamping: tokenCount),
                position: UInt32(clamping: position))
    }
}

extension StepBatch {
    /// The tensor name of a step's activations.
    public static let hiddenTensorName = "hidden"

    /// A step as the engines run it. Checks the layout the engines rely on: at least one
    /// slot; every sequence's slots contiguous, rows 0, 1, … in order, with one token
    /// count and position; `hidden` f32 `[Σ token_count, width]`; announced sequences
    /// valid, each once and each with slots. Errors name the first sequence concerned.
    public init(wire: StepActivations, hidden: Tensor) throws(WireError) {
        guard !wire.slots.isEmpty else { throw invalid("step \(wire.stepID) has no slots") }
        var slots: [StepSlot] = []
        var finished: Set<String> = []    // sequences whose run of slots has ended
        var totalRows = 0
        for slotWire in wire.slots {
            let slot = try StepSlot(wire: slotWire)
            let id = slot.sequenceID
            if let previous = slots.last, previous.sequenceID == id {
                guard slot.row == previous.row + 1, slot.tokenCount == previous.tokenCount,
                      slot.position == previous.position else {
                    throw invalid("step \(wire.stepID): sequence \(id) row \(slot.row) does not follow row "
                                    + "\(previous.row) with the same token count and position", id)
                }
            } else {
                if let previous = slots.last { finished.insert(previous.sequenceID) }
                guard !finished.contains(id) else {
                    throw invalid("step \(wire.stepID): the slots of sequence \(id) are not contiguous", id)
                }
                guard slot.row == 0 else {
                    throw invalid("step \(wire.stepID): sequence \(id) starts at row \(slot.row), not 0", id)
                }
            }
            let (sum, overflow) = totalRows.addingReportingOverflow(slot.tokenCount)
            guard !overflow else { throw invalid("step \(wire.stepID): token counts overflow", id) }
            totalRows = sum
            slots.append(slot)
        }
        let firstID = slots[0].sequenceID
        guard hidden.dtype == .f32, hidden.rank == 2, hidden.shape[0] == totalRows else {
            throw invalid("step \(wire.stepID): hidden is \(hidden.dtype) \(hidden.shape) but the slots cover "
                            + "\(totalRows) rows (expected f32 [\(totalRows), width])", firstID)
        }
        let present = Set(slots.map(\.sequenceID))
        var announced: Set<String> = []
        var newSequences: [SequenceSpec] = []
        for specWire in wire.newSequences {
            let spec = try SequenceSpec(wire: specWire)
            guard announced.insert(spec.id).inserted else {
                throw invalid("step \(wire.stepID): sequence \(spec.id) is announced twice", spec.id)
            }
            guard present.contains(spec.id) else {
                throw invalid("step \(wire.stepID): sequence \(spec.id) is announced but has no slots", spec.id)
            }
            newSequences.append(spec)
        }
        self.init(stepID: wire.stepID, slots: slots, hidden: hidden, newSequences: newSequences)
    }

    /// The step carried by `message` (a `step` body with its `hidden` tensor).
    public init(message: WireMessage) throws(WireError) {
        guard case .step(let step) = message.body else {
            throw invalid("expected a step message, got \(message.body.fieldName)")
        }
        try self.init(wire: step, hidden: try message.tensor(named: Self.hiddenTensorName, dtype: .f32, rank: 2))
    }

    public var wire: StepActivations {
        StepActivations(stepID: stepID, slots: slots.map(\.wire), newSequences: newSequences.map(\.wire))
    }

    /// The message pushing this step to the next stage.
    public var message: WireMessage {
        WireMessage(requestID: "step-\(stepID)", body: .step(wire), tensors: [Self.hiddenTensorName: hidden])
    }
}
