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
    public var layerRange: Range<Int> { stack.layerRange }

    /// Runs this stage's layers over a batch, registering the sequences it brings.
    /// Throws (and changes nothing) when a slot does not fit this stage's state.
    public func forward(_ batch: StepBatch) throws -> StepBatch {
        for spec in batch.newSequences where caches[spec.id] == nil {
            let capacity = spec.promptTokens + spec.maxTokens + 1
            specs[spec.id] = spec
            caches[spec.id] = (0..<spec.mode.rowCount).map { _ in stack.makeCache(capacity: capacity) }
        }
        let rows = try batch.slots.map { slot -> SequenceSlot in
            guard let rows = caches[slot.sequenceID] else {
                throw PipelineError("stage \(layerRange): unknown sequence \(slot.sequenceID)")
            }
            guard rows.indices.contains(slot.row) else {
                throw PipelineError("stage \(layerRange): sequence \(slot.sequenceID) has no row \(slot.row)")
            }
            let cache = rows[slot.row]
            guard cache.length == slot.position else {
                throw PipelineError("stage \(layerRange): sequence \(slot.sequenceID) row \(slot.row) is at position \(cache.length), the step says \(slot.position)")
            }
            return SequenceSlot(cache: cache, tokenCount: slot.tokenCount)
        }
        let total = batch.slots.reduce(0) { $0 + $1.tokenCount }
        guard batch.hidden.rank == 2, batch.hidden.shape == [total, stack.configuration.hiddenSize] else {
            throw PipelineError("stage \(layerRange): hidden \(batch.hidden.shape) does not match \(total) slot rows of width \(stack.configuration.hiddenSize)")
        }
        var next = batch
        next.hidden = stack(batch.hidden, slots: rows)
        return next
    }

    /// Forgets a sequence (finished, cancelled or failed).
    public func release(_ sequenceID: String) {
        caches[sequenceID] = nil
        specs[sequenceID] = nil
    }
}
