import JanusTensor

extension StepBatch {
    /// The ids of the sequences in this step, in slot order, each once.
    public var sequenceIDs: [String] {
        var seen: Set<String> = []
        return slots.map(\.sequenceID).filter { seen.insert($0).inserted }
    }

    /// This step without the slots (and `hidden` rows, and announcements) of `excluded`,
    /// so one bad sequence does not hold up the others; nil when nothing is left.
    public func removing(_ excluded: Set<String>) -> StepBatch? {
        guard slots.contains(where: { excluded.contains($0.sequenceID) }) else { return self }
        var kept: [StepSlot] = []
        var parts: [Tensor] = []
        var start = 0
        for slot in slots {
            defer { start += slot.tokenCount }
            guard !excluded.contains(slot.sequenceID) else { continue }
            kept.append(slot)
            parts.append(hidden.rows(start..<start + slot.tokenCount))
        }
        guard !kept.isEmpty else { return nil }
        return StepBatch(stepID: stepID, slots: kept, hidden: concatenateRows(parts),
                         newSequences: newSequences.filter { !excluded.contains($0.id) })
    }
}
