import JanusModels
import JanusTensor

/// The back of the pipeline (the last stage): final norm, the text or image head,
/// classifier-free guidance and seeded sampling, one sampler per sequence.
public final class PipelineExit: @unchecked Sendable {
    public let norm: RMSNorm
    public let lmHead: Linear
    public let generationHead: GenerationHead

    private struct State {
        var spec: SequenceSpec
        var sampler: TokenSampler
        var steps = 0
    }

    private var states: [String: State] = [:]

    public init(norm: RMSNorm, lmHead: Linear, generationHead: GenerationHead) {
        self.norm = norm
        self.lmHead = lmHead
        self.generationHead = generationHead
    }

    /// Chooses the next tokens of every sequence in `batch` (its hidden states are the
    /// last layer's output).
    public func sample(_ batch: StepBatch) throws -> [SequenceTokens] {
        for spec in batch.newSequences where states[spec.id] == nil {
            states[spec.id] = State(spec: spec, sampler: TokenSampler(options: spec.sampling, seed: spec.seed))
        }
        // Last position of every slot, grouped by sequence in slot order.
        var groups: [(id: String, rows: [Int])] = []
        var end = 0
        for slot in batch.slots {
            end += slot.tokenCount
            if groups.last?.id == slot.sequenceID {
                groups[groups.count - 1].rows.append(end - 1)
            } else {
                groups.append((slot.sequenceID, [end - 1]))
            }
        }
        var results: [SequenceTokens] = []
        for group in groups {
            guard var state = states[group.id] else {
                throw PipelineError("last stage: unknown sequence \(group.id)")
            }
            let last = Tensor(zeros: [group.rows.count, batch.hidden.shape[1]])
            for (index, row) in group.rows.enumerated() { last[index].assign(batch.hidden[row]) }
            let normed = norm(last)
            var result: SequenceTokens
            switch state.spec.mode {
            case .text(let stopTokenIDs):
                let token = state.sampler.sample(lmHead(normed))[0]
                state.steps += 1
                if stopTokenIDs.contains(token) {
                    result = SequenceTokens(sequenceID: group.id, tokens: [], finish: .endOfSequence, step: state.steps - 1)
                } else {
                    result = SequenceTokens(sequenceID: group.id, tokens: [token],
                                            finish: state.steps >= state.spec.maxTokens ? .maxTokens : nil,
                                            step: state.steps - 1)
                }
            case .image(_, let cfgWeight, _):
                let tokens = state.sampler.sample(ImageGenerator.guide(generationHead(normed), weight: cfgWeight))
                state.steps += 1
                result = SequenceTokens(sequenceID: group.id, tokens: tokens,
                                        finish: state.steps >= state.spec.maxTokens ? .maxTokens : nil,
                                        step: state.steps - 1)
            }
            states[group.id] = result.finish == nil ? state : nil
            results.append(result)
        }
        return results
    }

    public func release(_ sequenceID: String) {
        states[sequenceID] = nil
    }
}
