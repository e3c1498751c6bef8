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
    /// Euler steps one flow sequence may run (the single-process sampler's limit too).
    static let maxFlowSteps: UInt32 = 1000
    /// Latent channels and side a flow sequence may declare: far beyond JanusFlow's 4 ×
    /// 48, small enough that `images · C · S²` always fits.
    static let maxLatentChannels: UInt32 = 64
    static let maxLatentSize: UInt32 = 1024
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
    /// CFG weight, ODE step count, latent geometry or sampling option.
    public init(wire: JanusWire.SequenceSpec) throws(WireError) {
        try checkSequenceID(wire.sequenceID, "sequence spec")
        let id = wire.sequenceID
        let mode: SequenceMode
        switch wire.mode {
        case .text:
            mode = .text(stopTokenIDs: Set(wire.stopTokenIDs.map { Int($0) }))
        case .image:
            try Self.checkGeneration(wire)
            mode = .image(count: Int(wire.images), cfgWeight: wire.cfgWeight, padID: Int(wire.padID))
        case .flow:
            try Self.checkGeneration(wire)
            try Self.checkFlow(wire)
            mode = .flow(FlowSequence(count: Int(wire.images), cfgWeight: wire.cfgWeight, padID: Int(wire.padID),
                                      steps: Int(wire.flowSteps), latentChannels: Int(wire.latentChannels),
                                      latentSize: Int(wire.latentSize)))
        case .unspecified:
            throw invalid("sequence \(id): mode is unspecified (expected TEXT, IMAGE or FLOW)", id)
        }
        guard wire.maxTokens >= 1 else { throw invalid("sequence \(id): max_tokens is 0", id) }
        guard wire.promptTokens >= 1 else { throw invalid("sequence \(id): prompt_tokens is 0", id) }
        // A flow sequence samples nothing: only its seed (of the initial noise) counts.
        var sampling = SamplingOptions()
        if !mode.isFlow {
            do throws(WireError) {
                sampling = try SamplingOptions(wire: wire.sampling)
            } catch {
                throw invalid("sequence \(id): \(error.message)", id)
            }
        }
        self.init(id: id, mode: mode, sampling: sampling, seed: wire.sampling.seed,
                  maxTokens: Int(wire.maxTokens), promptTokens: Int(wire.promptTokens))
    }

    /// Image count and CFG weight of an IMAGE or FLOW spec.
    private static func checkGeneration(_ wire: JanusWire.SequenceSpec) throws(WireError) {
        let id = wire.sequenceID
        guard (1...PipelineWireLimits.maxImages).contains(wire.images) else {
            throw invalid("sequence \(id): \(wire.images) images; expected 1…\(PipelineWireLimits.maxImages)", id)
        }
        guard wire.cfgWeight.isFinite, wire.cfgWeight >= 0 else {
            throw invalid("sequence \(id): cfg_weight must be finite and ≥ 0, got \(wire.cfgWeight)", id)
        }
    }

    /// ODE steps, latent geometry and prompt length of a FLOW spec.
    private static func checkFlow(_ wire: JanusWire.SequenceSpec) throws(WireError) {
        let id = wire.sequenceID
        guard (1...PipelineWireLimits.maxFlowSteps).contains(wire.flowSteps) else {
            throw invalid("sequence \(id): flow_steps is \(wire.flowSteps); expected 1…\(PipelineWireLimits.maxFlowSteps)", id)
        }
        guard (1...PipelineWireLimits.maxLatentChannels).contains(wire.latentChannels),
              (1...PipelineWireLimits.maxLatentSize).contains(wire.latentSize) else {
            throw invalid("sequence \(id): latents of \(wire.latentChannels) channels × \(wire.latentSize)²; expected "
                            + "1…\(PipelineWireLimits.maxLatentChannels) channels and a side of 1…\(PipelineWireLimits.maxLatentSize)", id)
        }
        // t_emb takes the prompt's last slot: BOS and at least one more token.
        guard wire.promptTokens >= 2 else { throw invalid("sequence \(id): a flow prompt needs at least 2 tokens", id) }
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
        case .flow(let flow):
            spec.mode = .flow
            spec.sampling = Sampling(seed: seed)
            spec.images = UInt32(clamping: flow.count)
            spec.cfgWeight = flow.cfgWeight
            spec.padID = UInt32(clamping: flow.padID)
            spec.flowSteps = UInt32(clamping: flow.steps)
            spec.latentChannels = UInt32(clamping: flow.latentChannels)
            spec.latentSize = UInt32(clamping: flow.latentSize)
        }
        return spec
    }
}

// MARK: Sampled tokens

extension SequenceTokens {
    /// The engine's value; `step` comes from the `SequenceEvent` carrying it (0 when
    /// there is none, as in `SampledTokens`). A finished sequence must name its reason
    /// ("eos", "max_tokens" or, for flow, "complete"); an unfinished one must not.
    public init(wire: JanusWire.SequenceTokens, step: Int = 0) throws(WireError) {
        try checkSequenceID(wire.sequenceID, "sampled tokens")
        let id = wire.sequenceID
        let finish: FinishReason?
        if wire.finished {
            guard let reason = FinishReason(rawValue: wire.finishReason) else {
                throw invalid("sequence \(id): finish_reason '\(wire.finishReason.prefix(32))' "
                                + "(expected eos, max_tokens or complete)", id)
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

    /// The tensor name of the latents of a `SequenceEvent` and a `DecodeRequest`.
    public static let latentsTensorName = "latents"

    /// The name of `sequences[index]`'s latents in a `SampledTokens` message.
    public static func latentsTensorName(_ index: Int) -> String { "latents.\(index)" }

    /// The `SequenceEvent` message for the router; a finished flow sequence's event
    /// carries its final latents (an unfinished one's stay in the pipeline: the router
    /// only decodes the last).
    public var eventMessage: WireMessage {
        var message = WireMessage(requestID: sequenceID, body: .sequenceEvent(event))
        if finish != nil, let latents { message.tensors = [NamedTensor(name: Self.latentsTensorName, tensor: latents)] }
        return message
    }

    /// The `SampledTokens` message of step `stepID` for stage 0: every unfinished flow
    /// sequence's latents (the next step's input) ride as `latents.<k>`.
    public static func sampledMessage(_ results: [SequenceTokens], stepID: UInt64) -> WireMessage {
        let sampled = SampledTokens(stepID: stepID, sequences: results.map(\.wire))
        let tensors = results.enumerated().compactMap { index, result in
            result.finish == nil ? result.latents.map { NamedTensor(name: latentsTensorName(index), tensor: $0) } : nil
        }
        return WireMessage(header: WireHeader(requestID: "sampled-\(stepID)", body: .sampled(sampled)), tensors: tensors)
    }

    /// Entry `index` of a `SampledTokens` message, with its latents if it has any (f32,
    /// rank 4; whether their shape fits the sequence is the entry's call).
    public init(sampled message: WireMessage, index: Int) throws(WireError) {
        guard case .sampled(let sampled) = message.body, sampled.sequences.indices.contains(index) else {
            throw invalid("expected entry \(index) of a sampled message, got \(message.body.fieldName)")
        }
        try self.init(wire: sampled.sequences[index])
        let name = Self.latentsTensorName(index)
        guard message.tensor(named: name) != nil else { return }
        do throws(WireError) {
            latents = try message.tensor(named: name, dtype: .f32, rank: 4)
        } catch {
            throw invalid("sequence \(sequenceID): \(error.message)", sequenceID)
        }
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
        // 0 means "right after the cached positions"; an explicit one may not lie inside them.
        let firstPosition = wire.firstPosition == 0 ? wire.position : wire.firstPosition
        guard firstPosition >= wire.position else {
            throw invalid("sequence \(wire.sequenceID) row \(wire.row): first_position \(firstPosition) lies inside "
                            + "the \(wire.position) cached positions", wire.sequenceID)
        }
        self.init(sequenceID: wire.sequenceID, row: Int(wire.row), tokenCount: Int(wire.tokenCount),
                  position: Int(wire.position), firstPosition: Int(firstPosition))
    }

    var wire: RowSlot {
        RowSlot(sequenceID: sequenceID, row: UInt32(clamping: row), tokenCount: UInt32(clamping: tokenCount),
                position: UInt32(clamping: position),
                firstPosition: firstPosition == position ? 0 : UInt32(clamping: firstPosition))
    }
}

extension StepBatch {
    /// The tensor name of a step's activations.
    public static let hiddenTensorName = "hidden"

    /// A step as the engines run it. Checks the layout the engines rely on: at least one
    /// slot; every sequence's slots contiguous, rows 0, 1, … in order, all starting at
    /// one position (their token counts and cached positions may differ: a flow
    /// sequence's conditional rows cache more of the prompt than its unconditional ones);
    /// `hidden` f32 `[Σ token_count, width]`; announced sequences valid, each once and
    /// each with slots. Errors name the first sequence concerned.
    public init(wire: StepActivations, hidden: Tensor) throws(WireError) {
        guard !wire.slots.isEmpty else { throw invalid("step \(wire.stepID) has no slots") }
        var slots: [StepSlot] = []
        var finished: Set<String> = []    // sequences whose run of slots has ended
        var totalRows = 0
        for slotWire in wire.slots {
            let slot = try StepSlot(wire: slotWire)
            let id = slot.sequenceID
            if let previous = slots.last, previous.sequenceID == id {
                guard slot.row == previous.row + 1, slot.firstPosition == previous.firstPosition else {
                    throw invalid("step \(wire.stepID): sequence \(id) row \(slot.row) does not follow row "
                                    + "\(previous.row) from the same position", id)
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
