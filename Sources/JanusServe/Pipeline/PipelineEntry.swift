import JanusModels
import JanusTensor

/// The front of the pipeline (stage 0): turns submitted prompts and sampled tokens (or,
/// for JanusFlow, the latents of the last ODE step) into input embeddings, and batches
/// every sequence that is ready into the next step (continuous batching: sequences join
/// and leave between steps).
public final class PipelineEntry: @unchecked Sendable {
    /// `language_model.model.embed_tokens.weight`.
    public let embedTokens: Tensor
    /// `gen_embed` + `gen_aligner` (Janus-Pro image generation).
    public let imageTokenEmbedding: ImageTokenEmbedding?
    /// `vision_gen_enc_model` + `vision_gen_enc_aligner` (JanusFlow generation).
    public let latentEncoder: FlowLatentEncoder?
    public let maxPositions: Int

    private enum Input {
        case prompt(Tensor)          // [Σ rows' prompt lengths, hidden], rows in order
        case tokens([Int])           // one per image (image mode) or one (text mode)
        case latents(Tensor)         // flow: the next ODE step's latents [images, C, S, S]
    }

    private struct Entry {
        var spec: SequenceSpec
        var input: Input?            // nil while a step of this sequence is in flight
        var position: Int            // cached positions per row (text, image)
        var odeSteps = 0             // flow: ODE steps issued
        var announced: Bool
    }

    private var entries: [String: Entry] = [:]
    private var order: [String] = []   // submission order, for a stable batch layout
    private var nextStepID: UInt64 = 1

    /// A Janus / Janus-Pro front: text and VQ-token image sequences.
    public init(embedTokens: Tensor, imageTokenEmbedding: ImageTokenEmbedding, maxPositions: Int) {
        self.embedTokens = embedTokens
        self.imageTokenEmbedding = imageTokenEmbedding
        latentEncoder = nil
        self.maxPositions = maxPositions
    }

    /// A JanusFlow front: text and flow sequences.
    public init(embedTokens: Tensor, latentEncoder: FlowLatentEncoder, maxPositions: Int) {
        self.embedTokens = embedTokens
        imageTokenEmbedding = nil
        self.latentEncoder = latentEncoder
        self.maxPositions = maxPositions
    }

    public var activeSequences: Int { entries.count }
    public var rowsInUse: Int { entries.values.reduce(0) { $0 + $1.spec.mode.rowCount } }

    /// Accepts a new sequence. Text prompts may carry image embeddings `[M, hidden]`
    /// spliced in at `imagePositions` (M entries).
    public func submit(_ spec: SequenceSpec, promptIDs: [Int], imageEmbeddings: Tensor? = nil,
                       imagePositions: [Int] = []) throws {
        guard entries[spec.id] == nil else { throw PipelineError("sequence \(spec.id) is already running") }
        guard !promptIDs.isEmpty, promptIDs.count == spec.promptTokens else {
            throw PipelineError("sequence \(spec.id): \(promptIDs.count) prompt ids, spec says \(spec.promptTokens)")
        }
        let vocabulary = embedTokens.shape[0]
        if let bad = promptIDs.first(where: { !(0..<vocabulary).contains($0) }) {
            throw PipelineError("sequence \(spec.id): token id \(bad) is outside the vocabulary 0..<\(vocabulary)")
        }
        guard spec.maxTokens >= 1, promptIDs.count + spec.maxTokens <= maxPositions else {
            throw PipelineError("sequence \(spec.id): \(promptIDs.count) prompt + \(spec.maxTokens) new tokens exceed the model's \(maxPositions) positions")
        }
        let prompt: Tensor
        switch spec.mode {
        case .text:
            var mask = [Bool](repeating: false, count: promptIDs.count)
            for position in imagePositions {
                guard mask.indices.contains(position), !mask[position] else {
                    throw PipelineError("sequence \(spec.id): bad image position \(position)")
                }
                mask[position] = true
            }
            do {
                prompt = try PromptEmbedding.splice(ids: promptIDs, imagePositions: mask,
                                                    imageEmbeddings: imageEmbeddings, embedTokens: embedTokens)
            } catch {
                throw PipelineError("sequence \(spec.id): \(error)")
            }
        case .image(let count, _, let padID):
            guard imageTokenEmbedding != nil else {
                throw PipelineError("sequence \(spec.id): this pipeline serves a JanusFlow checkpoint, which generates "
                                    + "latents (FLOW sequences), not VQ image tokens")
            }
            try checkGeneration(spec, count: count, padID: padID, imageEmbeddings: imageEmbeddings)
            var unconditional = promptIDs
            if promptIDs.count > 2 { for index in 1..<(promptIDs.count - 1) { unconditional[index] = padID } }
            prompt = embedding(ids: (0..<count).flatMap { _ in promptIDs + unconditional }, table: embedTokens)
        case .flow(let flow):
            try checkFlow(spec, flow, promptIDs: promptIDs, imageEmbeddings: imageEmbeddings)
            // Each row's visible prompt prefix, run once; every ODE step builds on it.
            let prefixes = FlowCFGBatch(promptIDs: promptIDs, count: flow.count, padID: flow.padID,
                                        imageTokenCount: spec.maxTokens).visiblePrefixes
            prompt = embedding(ids: prefixes.flatMap { $0 }, table: embedTokens)
        }
        entries[spec.id] = Entry(spec: spec, input: .prompt(prompt), position: 0, announced: false)
        order.append(spec.id)
    }

    /// The spec of a running sequence, nil once it finished or was released.
    public func spec(of sequenceID: String) -> SequenceSpec? { entries[sequenceID]?.spec }

    /// Checks that `result` can be fed back before `accept` acts on it: the sequence has
    /// a step in flight, and an unfinished result brings one token per image (or one
    /// token) inside the right table, within `maxTokens` — or, for a flow sequence, the
    /// latents of the next ODE step while steps remain. Tokens of a sequence this entry
    /// no longer knows pass (`accept` ignores them: it was released meanwhile).
    public func validate(_ result: SequenceTokens) throws {
        guard let entry = entries[result.sequenceID] else { return }
        let id = result.sequenceID
        guard entry.input == nil else {
            throw PipelineError("sequence \(id): tokens arrived but no step of it is in flight")
        }
        if case .flow(let flow) = entry.spec.mode { return try validateFlow(result, flow, entry: entry) }
        guard result.finish == nil else { return }
        let generated = entry.position - entry.spec.promptTokens + 1
        guard generated < entry.spec.maxTokens else {
            throw PipelineError("sequence \(id): token \(generated) of \(entry.spec.maxTokens) is not marked finished")
        }
        let (expected, table) = switch entry.spec.mode {
        case .text: (1, embedTokens.shape[0])
        case .image(let count, _, _): (count, imageTokenEmbedding?.genEmbed.shape[0] ?? 0)
        case .flow: (0, 0)
        }
        guard result.tokens.count == expected else {
            throw PipelineError("sequence \(id): \(result.tokens.count) tokens, expected \(expected)")
        }
        if let bad = result.tokens.first(where: { !(0..<table).contains($0) }) {
            throw PipelineError("sequence \(id): token \(bad) is outside 0..<\(table)")
        }
    }

    /// A flow result is finished ("complete") exactly when every ODE step was issued;
    /// before that it brings the next step's latents.
    private func validateFlow(_ result: SequenceTokens, _ flow: FlowSequence, entry: Entry) throws {
        let id = result.sequenceID
        guard result.tokens.isEmpty else { throw PipelineError("sequence \(id): a flow step samples no tokens") }
        let remaining = entry.odeSteps < flow.steps
        if let finish = result.finish {
            guard finish == .complete, !remaining else {
                throw PipelineError("sequence \(id): finished (\(finish.rawValue)) after \(entry.odeSteps) of \(flow.steps) ODE steps")
            }
            return
        }
        guard remaining else {
            throw PipelineError("sequence \(id): all \(flow.steps) ODE steps ran but the result is not marked finished")
        }
        guard let latents = result.latents else {
            throw PipelineError("sequence \(id): no latents for ODE step \(entry.odeSteps + 1) of \(flow.steps)")
        }
        guard latents.dtype == .f32, latents.shape == flow.latentShape else {
            throw PipelineError("sequence \(id): latents are \(latents.dtype) \(latents.shape), expected f32 \(flow.latentShape)")
        }
    }

    /// Feeds back what the last stage sampled; finished sequences leave. Call `validate`
    /// first: tokens outside the tables would stop the process in the embedding lookup.
    public func accept(_ sampled: [SequenceTokens]) {
        for result in sampled {
            guard var entry = entries[result.sequenceID] else { continue }  // released meanwhile
            if result.finish != nil {
                release(result.sequenceID)
                continue
            }
            if case .flow = entry.spec.mode, let latents = result.latents {
                entry.input = .latents(latents)
            } else {
                entry.input = .tokens(result.tokens)
            }
            entries[result.sequenceID] = entry
        }
    }

    /// The next step over every sequence that has input, or nil when none has.
    public func nextBatch() -> StepBatch? {
        var slots: [StepSlot] = []
        var parts: [Tensor] = []
        var newSequences: [SequenceSpec] = []
        for id in order {
            guard var entry = entries[id], let input = entry.input else { continue }
            let rows = entry.spec.mode.rowCount
            switch input {
            case .prompt(let embeddings):
                parts.append(embeddings)
                for row in 0..<rows {
                    slots.append(StepSlot(sequenceID: id, row: row, tokenCount: promptLength(of: entry.spec, row: row),
                                          position: 0))
                }
                entry.position = entry.spec.promptTokens
            case .tokens(let tokens):
                // `submit` admits image sequences only with `gen_embed`, and `accept` gives
                // flow sequences latents: the rows always exist.
                guard let rowsOfTokens = tokenRows(tokens, mode: entry.spec.mode) else { continue }
                parts.append(rowsOfTokens)
                for row in 0..<rows {
                    slots.append(StepSlot(sequenceID: id, row: row, tokenCount: 1, position: entry.position))
                }
                entry.position += 1
            case .latents(let latents):
                guard case .flow(let flow) = entry.spec.mode, let latentEncoder else { continue }
                // t_emb and the image tokens of every row, over the cached prompt prefix.
                let inputs = latentEncoder.encode(latents: latents, timestep: flow.timestep(entry.odeSteps)).duplicated()
                let (length, hidden) = (inputs.languageRows.shape[1], inputs.languageRows.shape[2])
                parts.append(inputs.languageRows.reshaped([rows * length, hidden]))
                for row in 0..<rows {
                    slots.append(StepSlot(sequenceID: id, row: row, tokenCount: length,
                                          position: flow.prefixLength(row: row, promptTokens: entry.spec.promptTokens),
                                          firstPosition: flow.timeEmbeddingPosition(promptTokens: entry.spec.promptTokens)))
                }
                entry.odeSteps += 1
            }
            if !entry.announced {
                newSequences.append(entry.spec)
                entry.announced = true
            }
            entry.input = nil
            entries[id] = entry
        }
        guard !slots.isEmpty else { return nil }
        defer { nextStepID += 1 }
        return StepBatch(stepID: nextStepID, slots: slots, hidden: concatenateRows(parts), newSequences: newSequences)
    }

    /// The input rows of a decode step: the token's embedding (text), or each image's
    /// token for both its rows (`gen_embed` + `gen_aligner`).
    private func tokenRows(_ tokens: [Int], mode: SequenceMode) -> Tensor? {
        switch mode {
        case .text: embedding(ids: tokens, table: embedTokens)
        case .image: imageTokenEmbedding?(tokens.flatMap { [$0, $0] })
        case .flow: nil
        }
    }

    /// Prompt rows `row` of a sequence runs in its first step: the whole prompt, or for
    /// flow the row's visible prefix.
    private func promptLength(of spec: SequenceSpec, row: Int) -> Int {
        guard case .flow(let flow) = spec.mode else { return spec.promptTokens }
        return flow.prefixLength(row: row, promptTokens: spec.promptTokens)
    }

    // MARK: Checks of new sequences

    private func checkGeneration(_ spec: SequenceSpec, count: Int, padID: Int, imageEmbeddings: Tensor?) throws {
        let vocabulary = embedTokens.shape[0]
        guard (1...64).contains(count) else { throw PipelineError("sequence \(spec.id): \(count) images") }
        guard (0..<vocabulary).contains(padID) else {
            throw PipelineError("sequence \(spec.id): pad id \(padID) is outside the vocabulary 0..<\(vocabulary)")
        }
        guard imageEmbeddings == nil else {
            throw PipelineError("sequence \(spec.id): image generation takes no image embeddings")
        }
    }

    /// A flow sequence must fit this checkpoint's latent geometry and image tokens.
    private func checkFlow(_ spec: SequenceSpec, _ flow: FlowSequence, promptIDs: [Int], imageEmbeddings: Tensor?) throws {
        let id = spec.id
        guard let latentEncoder else {
            throw PipelineError("sequence \(id): this pipeline serves a Janus / Janus-Pro checkpoint, which generates "
                                + "VQ image tokens (IMAGE sequences), not JanusFlow latents")
        }
        try checkGeneration(spec, count: flow.count, padID: flow.padID, imageEmbeddings: imageEmbeddings)
        guard promptIDs.count >= 2 else {
            throw PipelineError("sequence \(id): a flow prompt needs BOS and at least one more token")
        }
        guard (1...1000).contains(flow.steps) else {
            throw PipelineError("sequence \(id): \(flow.steps) ODE steps; expected 1…1000")
        }
        guard flow.cfgWeight.isFinite, flow.cfgWeight >= 0 else {
            throw PipelineError("sequence \(id): cfg weight must be finite and ≥ 0, got \(flow.cfgWeight)")
        }
        let expected = [flow.count] + latentEncoder.latentShape
        guard flow.latentShape == expected, spec.maxTokens == latentEncoder.imageTokenCount else {
            throw PipelineError("sequence \(id): latents \(flow.latentShape) with \(spec.maxTokens) image tokens; "
                                + "this checkpoint makes \(expected) with \(latentEncoder.imageTokenCount)")
        }
    }

    public func release(_ sequenceID: String) {
        entries[sequenceID] = nil
        order.removeAll { $0 == sequenceID }
    }
}

/// Stacks `[n_i, width]` tensors into one `[Σ n_i, width]`.
func concatenateRows(_ parts: [Tensor]) -> Tensor {
    let width = parts[0].shape[1]
    let result = Tensor(zeros: [parts.reduce(0) { $0 + $1.shape[0] }, width])
    var start = 0
    for part in parts {
        result.rows(start..<start + part.shape[0]).assign(part)
        start += part.shape[0]
    }
    return result
}
