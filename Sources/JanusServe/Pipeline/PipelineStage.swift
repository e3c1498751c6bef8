import JanusModels
import JanusTensor

/// A contiguous range of decoder layers serving many sequences at once: every stage of
/// the pipeline runs one of these. It keeps one KV cache per sequence row.
public final class PipelineStage: @unchecked Sendable {
    public let stack: LlamaDecoderStack
    private var caches: [String: [KVCache]] = [:]
    private(set) var specs: [String: SequenceSpec] = [:]

    public init(stack: LlamaDecoderStack) { self.stack = stack }

    public var activeSequences: Int { caches.count }
    /// Sequence rows holding a KV cache here.
    public var rowsInUse: Int { caches.values.reduce(0) { $0 + $1.count } }
    public var layerRange: Range<Int> { stack.layerRange }

    /// Runs this stage's layers over a batch, registering the sequences it brings.
    /// Throws (and changes nothing) when a slot does not fit this stage's state.
    /// `afterEachLayer` runs between layers (a worker keeps its heartbeats going).
    public func forward(_ batch: StepBatch, afterEachLayer: (() -> Void)? = nil) throws -> StepBatch {
        for spec in batch.newSequences where caches[spec.id] == nil {
            specs[spec.id] = spec
            caches[spec.id] = (0..<spec.mode.rowCount).map { _ in stack.makeCache(capacity: Self.initialCapacity(spec)) }
        }
        let rows = try batch.slots.map { slot -> SequenceSlot in
            guard let rows = caches[slot.sequenceID], let spec = specs[slot.sequenceID] else {
                throw PipelineError("stage \(layerRange): unknown sequence \(slot.sequenceID)")
            }
            guard rows.indices.contains(slot.row) else {
                throw PipelineError("stage \(layerRange): sequence \(slot.sequenceID) has no row \(slot.row)")
            }
            let cache = rows[slot.row]
            guard Self.cachedLengths(for: slot, spec: spec).contains(cache.length) else {
                throw PipelineError("stage \(layerRange): sequence \(slot.sequenceID) row \(slot.row) is at position \(cache.length), the step says \(slot.position)")
            }
            guard slot.firstPosition >= slot.position,
                  slot.firstPosition + slot.tokenCount <= stack.configuration.maxPositionEmbeddings else {
                throw PipelineError("stage \(layerRange): sequence \(slot.sequenceID) row \(slot.row) starts at position \(slot.firstPosition) after \(slot.position) cached, \(slot.tokenCount) tokens")
            }
            return SequenceSlot(cache: cache, tokenCount: slot.tokenCount, firstPosition: slot.firstPosition)
        }
        let total = batch.slots.reduce(0) { $0 + $1.tokenCount }
        guard batch.hidden.rank == 2, batch.hidden.shape == [total, stack.configuration.hiddenSize] else {
            throw PipelineError("stage \(layerRange): hidden \(batch.hidden.shape) does not match \(total) slot rows of width \(stack.configuration.hiddenSize)")
        }
        // A flow step drops what the previous step appended: it attends to the prefix alone.
        for (slot, row) in zip(batch.slots, rows) where row.cache.length > slot.position {
            row.cache.truncate(to: slot.position)
        }
        var next = batch
        next.hidden = stack(batch.hidden, slots: rows, observe: afterEachLayer.map { hook in { _, _ in hook() } })
        return next
    }

    /// Generated positions a new sequence's caches hold before they first grow.
    static let initialGenerationReserve = 256

    private static func initialCapacity(_ spec: SequenceSpec) -> Int {
        // A flow row holds at most its prefix and one step's rows; caches of answers grow
        // by doubling, so reserving the whole answer up front would only make long
        // max_tokens requests hold memory they may never use.
        if case .flow = spec.mode { return spec.promptTokens + spec.maxTokens }
        return spec.promptTokens + min(spec.maxTokens, initialGenerationReserve) + 1
    }

    /// The cache lengths at which `slot` may run: its position, or for a flow step also
    /// the prefix plus the previous step's rows (which the step rewinds).
    static func cachedLengths(for slot: StepSlot, spec: SequenceSpec) -> Set<Int> {
        guard case .flow = spec.mode, slot.position > 0 else { return [slot.position] }
        return [slot.position, slot.position + slot.tokenCount]
    }

    /// The sequences of `batch` this stage must not run, each with the reason: unknown
    /// ids, rows that do not match the spec, positions that differ from the caches
    /// (desync), token counts other than the whole prompt first and one token after (for
    /// flow: each row's prompt prefix first, then `t_emb` and the image tokens at the
    /// prompt's last position over the prefix), and sequences longer than the spec or
    /// the model allow. `forward` would stop the process on some of these (the stack's
    /// preconditions), so a worker removes them first. Slots of one sequence are
    /// expected contiguous (the wire mapping checks it).
    public func problems(in batch: StepBatch) -> [String: PipelineError] {
        var announced: [String: SequenceSpec] = [:]
        for spec in batch.newSequences where announced[spec.id] == nil { announced[spec.id] = spec }
        var problems: [String: PipelineError] = [:]
        var start = 0
        while start < batch.slots.count {
            let id = batch.slots[start].sequenceID
            var end = start
            while end < batch.slots.count && batch.slots[end].sequenceID == id { end += 1 }
            if let problem = problem(with: batch.slots[start..<end], spec: specs[id] ?? announced[id]) {
                problems[id] = problem
            }
            start = end
        }
        return problems
    }

    private func problem(with slots: ArraySlice<StepSlot>, spec: SequenceSpec?) -> PipelineError? {
        let place = "stage \(layerRange)"
        guard let first = slots.first else { return nil }
        let id = first.sequenceID
        guard let spec else { return PipelineError("\(place): unknown sequence \(id)") }
        let limit = spec.promptTokens + spec.maxTokens
        guard spec.promptTokens >= 1, spec.maxTokens >= 1,
              limit <= stack.configuration.maxPositionEmbeddings else {
            return PipelineError("\(place): sequence \(id) needs \(spec.promptTokens) + \(spec.maxTokens) positions; the model has \(stack.configuration.maxPositionEmbeddings)")
        }
        let rowCount = spec.mode.rowCount
        guard slots.map(\.row) == Array(0..<rowCount) else {
            return PipelineError("\(place): sequence \(id) brings rows \(slots.map(\.row)), expected 0..<\(rowCount)")
        }
        for slot in slots {
            let cached = caches[id]?[slot.row].length ?? 0
            guard Self.cachedLengths(for: slot, spec: spec).contains(cached) else {
                return PipelineError("\(place): sequence \(id) row \(slot.row) is at position \(cached), the step says \(slot.position)")
            }
            guard let expected = expectedSlot(row: slot.row, position: slot.position, spec: spec) else {
                return PipelineError("\(place): sequence \(id) row \(slot.row) steps from position \(slot.position), which is not its prompt prefix")
            }
            guard slot.tokenCount == expected.tokenCount, slot.firstPosition == expected.firstPosition else {
                return PipelineError("\(place): sequence \(id) row \(slot.row) brings \(slot.tokenCount) tokens from position \(slot.firstPosition) over \(slot.position) cached, expected \(expected.tokenCount) from \(expected.firstPosition)")
            }
            // The last token sampled is never fed back, except in flow, which samples none.
            let end = slot.firstPosition + slot.tokenCount
            guard end < limit || (end == limit && spec.mode.isFlow) else {
                return PipelineError("\(place): sequence \(id) runs past its \(spec.promptTokens) prompt + \(spec.maxTokens) new tokens")
            }
        }
        return nil
    }

    /// What a well-formed step brings for `row` at `position`: the prompt (or for flow,
    /// the row's prefix) first, then one token at a time (for flow, `t_emb` and the
    /// image rows, always from the prompt's last position). Nil for a flow step that
    /// would not rewind to the row's prefix.
    private func expectedSlot(row: Int, position: Int, spec: SequenceSpec) -> (tokenCount: Int, firstPosition: Int)? {
        switch spec.mode {
        case .flow(let flow):
            let prefix = flow.prefixLength(row: row, promptTokens: spec.promptTokens)
            if position == 0 { return (prefix, 0) }
            guard position == prefix else { return nil }
            return (1 + spec.maxTokens, flow.timeEmbeddingPosition(promptTokens: spec.promptTokens))
        case .text, .image:
            return (position == 0 ? spec.promptTokens : 1, position)
        }
    }

    /// Forgets a sequence (finished, cancelled or failed).
    public func release(_ sequenceID: String) {
        caches[sequenceID] = nil
        specs[sequenceID] = nil
    }
}
