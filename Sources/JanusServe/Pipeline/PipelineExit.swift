import JanusModels
import JanusTensor

/// The back of the pipeline (the last stage): final norm, the text or image head,
/// classifier-free guidance and seeded sampling, one sampler per sequence; for
/// JanusFlow, the velocity, its guidance and the Euler update of the latents, which live
/// here between steps.
public final class PipelineExit: @unchecked Sendable {
    public let norm: RMSNorm
    public let lmHead: LazyLinear
    /// `gen_head` (Janus-Pro image generation).
    public let generationHead: GenerationHead?
    /// The velocity half of JanusFlow generation.
    public let flowHead: FlowExitHead?
    /// A flow sequence's starting latents `[images, C, S, S]`.
    public typealias InitialLatents = @Sendable (SequenceSpec, FlowSequence) -> Tensor
    private let initialLatents: InitialLatents

    private struct State {
        var spec: SequenceSpec
        var sampler: TokenSampler
        var steps = 0
        /// Flow: the latents the next ODE step starts from (nil until the prompt ran).
        var latents: Tensor?
    }

    private var states: [String: State] = [:]

    /// A Janus / Janus-Pro back: text and VQ-token image sequences.
    public init(norm: RMSNorm, lmHead: LazyLinear, generationHead: GenerationHead) {
        self.norm = norm
        self.lmHead = lmHead
        self.generationHead = generationHead
        flowHead = nil
        initialLatents = Self.seededNoise
    }

    /// A JanusFlow back: text and flow sequences. Flow sequences start from
    /// `initialLatents` (tests start from the reference's stored noise).
    public init(norm: RMSNorm, lmHead: LazyLinear, flowHead: FlowExitHead,
                initialLatents: @escaping InitialLatents = PipelineExit.seededNoise) {
        self.norm = norm
        self.lmHead = lmHead
        generationHead = nil
        self.flowHead = flowHead
        self.initialLatents = initialLatents
    }

    /// The single-process sampler's starting point: Gaussian noise from the request's seed.
    public static let seededNoise: InitialLatents = { spec, flow in
        GaussianNoise.tensor(shape: flow.latentShape, seed: spec.seed)
    }

    /// The slots of one sequence in a step: where its rows lie in `hidden`.
    private struct Group {
        let id: String
        var slots: [StepSlot] = []
        var rowRanges: [Range<Int>] = []
    }

    /// Chooses the next tokens of every sequence in `batch` (its hidden states are the
    /// last layer's output), or for a flow sequence advances its latents by one ODE step.
    /// A flow sequence's prompt step yields its initial noise (seeded, as in one
    /// process), which stage 0 encodes for the first ODE step.
    public func sample(_ batch: StepBatch) throws -> [SequenceTokens] {
        for spec in batch.newSequences where states[spec.id] == nil {
            states[spec.id] = State(spec: spec, sampler: TokenSampler(options: spec.sampling, seed: spec.seed))
        }
        var groups: [Group] = []
        var end = 0
        for slot in batch.slots {
            if groups.last?.id != slot.sequenceID { groups.append(Group(id: slot.sequenceID)) }
            groups[groups.count - 1].slots.append(slot)
            groups[groups.count - 1].rowRanges.append(end..<end + slot.tokenCount)
            end += slot.tokenCount
        }
        var results: [SequenceTokens] = []
        for group in groups {
            guard var state = states[group.id] else {
                throw PipelineError("last stage: unknown sequence \(group.id)")
            }
            let result: SequenceTokens
            switch state.spec.mode {
            case .text(let stopTokenIDs):
                let token = state.sampler.sample(lmHead(norm(lastRows(of: group, in: batch.hidden))))[0]
                state.steps += 1
                if stopTokenIDs.contains(token) {
                    result = SequenceTokens(sequenceID: group.id, tokens: [], finish: .endOfSequence, step: state.steps - 1)
                } else {
                    result = SequenceTokens(sequenceID: group.id, tokens: [token],
                                            finish: state.steps >= state.spec.maxTokens ? .maxTokens : nil,
                                            step: state.steps - 1)
                }
            case .image(_, let cfgWeight, _):
                guard let generationHead else {
                    throw PipelineError("last stage: sequence \(group.id) generates VQ tokens, this stage serves JanusFlow")
                }
                let logits = generationHead(norm(lastRows(of: group, in: batch.hidden)))
                let tokens = state.sampler.sample(ImageGenerator.guide(logits, weight: cfgWeight))
                state.steps += 1
                result = SequenceTokens(sequenceID: group.id, tokens: tokens,
                                        finish: state.steps >= state.spec.maxTokens ? .maxTokens : nil,
                                        step: state.steps - 1)
            case .flow(let flow):
                result = try advance(group, flow, state: &state, hidden: batch.hidden)
            }
            states[group.id] = result.finish == nil ? state : nil
            results.append(result)
        }
        return results
    }

    /// The sequences `batch` announces that this exit cannot finish, each with the
    /// reason: generations of the other model kind, and flow sequences whose latents or
    /// image tokens are not this checkpoint's (stage 0 checks them too, but the last
    /// stage must not trust a peer with the size of the noise it draws).
    public func problems(in batch: StepBatch) -> [String: PipelineError] {
        var problems: [String: PipelineError] = [:]
        for spec in batch.newSequences where states[spec.id] == nil {
            switch spec.mode {
            case .text: continue
            case .image where generationHead == nil:
                problems[spec.id] = PipelineError("last stage: sequence \(spec.id) generates VQ tokens, this stage serves JanusFlow")
            case .image: continue
            case .flow(let flow):
                guard let encoder = flowHead?.encoder else {
                    problems[spec.id] = PipelineError("last stage: sequence \(spec.id) is a JanusFlow generation, this stage serves Janus-Pro")
                    continue
                }
                let expected = [flow.count] + encoder.latentShape
                if flow.latentShape != expected || spec.maxTokens != encoder.imageTokenCount {
                    problems[spec.id] = PipelineError("last stage: sequence \(spec.id) has latents \(flow.latentShape) with \(spec.maxTokens) image tokens; this checkpoint makes \(expected) with \(encoder.imageTokenCount)")
                }
            }
        }
        return problems
    }

    /// The last position of every slot of `group`, stacked `[slots, hidden]`.
    private func lastRows(of group: Group, in hidden: Tensor) -> Tensor {
        let last = Tensor(zeros: [group.rowRanges.count, hidden.shape[1]])
        for (index, range) in group.rowRanges.enumerated() { last[index].assign(hidden[range.upperBound - 1]) }
        return last
    }

    /// One flow step: after the prompt, the seeded initial noise; after an ODE step, the
    /// guided velocity and the Euler update, numbers for numbers as
    /// `RectifiedFlowSampler.generate` computes them.
    private func advance(_ group: Group, _ flow: FlowSequence, state: inout State, hidden: Tensor) throws -> SequenceTokens {
        guard let flowHead else {
            throw PipelineError("last stage: sequence \(group.id) is a JanusFlow generation, this stage serves Janus-Pro")
        }
        guard let latents = state.latents else {
            let noise = initialLatents(state.spec, flow)
            guard noise.dtype == .f32, noise.shape == flow.latentShape else {
                throw PipelineError("last stage: initial latents \(noise.shape) for sequence \(group.id), expected \(flow.latentShape)")
            }
            state.latents = noise
            return SequenceTokens(sequenceID: group.id, tokens: [], finish: nil, step: 0, latents: noise)
        }
        guard let first = group.rowRanges.first, let last = group.rowRanges.last,
              group.rowRanges.allSatisfy({ $0.count == first.count }) else {
            throw PipelineError("last stage: flow sequence \(group.id) has rows of different lengths")
        }
        let index = state.steps
        let (conditional, unconditional) = flowHead.velocities(
            languageOutput: hidden.rows(first.lowerBound..<last.upperBound), latents: latents,
            timestep: flow.timestep(index), norm: norm)
        let velocity = RectifiedFlowSampler.guide(conditional: conditional, unconditional: unconditional,
                                                  weight: flow.cfgWeight)
        let next = RectifiedFlowSampler.eulerStep(latents, velocity: velocity, steps: flow.steps)
        state.steps += 1
        state.latents = next
        return SequenceTokens(sequenceID: group.id, tokens: [], finish: state.steps >= flow.steps ? .complete : nil,
                              step: state.steps, latents: next)
    }

    public func release(_ sequenceID: String) {
        states[sequenceID] = nil
    }
}

/// What the last stage runs of JanusFlow besides the LLM's final norm: the encoder half
/// again (its `t_emb` and skips condition the decoder; recomputing them from the latents
/// is cheaper than shipping them down the pipeline every step) and the decoder half.
public struct FlowExitHead: Sendable {
    public let encoder: FlowLatentEncoder
    public let decoder: FlowVelocityDecoder

    public init(encoder: FlowLatentEncoder, decoder: FlowVelocityDecoder) {
        self.encoder = encoder
        self.decoder = decoder
    }

    /// `(v_cond, v_uncond)` of one step from the LLM's output over its rows.
    func velocities(languageOutput: Tensor, latents: Tensor, timestep: Float,
                    norm: RMSNorm) -> (conditional: Tensor, unconditional: Tensor) {
        let inputs = encoder.encode(latents: latents, timestep: timestep).duplicated()
        return decoder.velocities(languageOutput: languageOutput, inputs: inputs, norm: norm)
    }
}
