import JanusModels
import JanusTensor

/// What a sequence in the pipeline is for.
public enum SequenceMode: Sendable, Equatable {
    /// Understanding: one row, `lm_head`, ends at a stop token or `maxTokens`.
    case text(stopTokenIDs: Set<Int>)
    /// Generation: two rows per image (conditional, unconditional), `gen_head`, CFG,
    /// exactly `maxTokens` tokens per image.
    case image(count: Int, cfgWeight: Float, padID: Int)
    /// JanusFlow generation: two rows per image (conditional rows first), the
    /// rectified-flow ODE. The prompt prefix runs once; every ODE step re-runs `t_emb`
    /// and the image rows over it.
    case flow(FlowSequence)

    var rowCount: Int {
        switch self {
        case .text: 1
        case .image(let count, _, _): 2 * count
        case .flow(let flow): 2 * flow.count
        }
    }

    var isFlow: Bool {
        if case .flow = self { return true }
        return false
    }
}

/// Everything every stage needs to know about one sequence (a whole request: all
/// rows of a CFG generation, or one understanding answer).
public struct SequenceSpec: Sendable, Equatable {
    public var id: String
    public var mode: SequenceMode
    public var sampling: SamplingOptions
    public var seed: UInt64
    /// Text: max new tokens; image: tokens per image; flow: image-token rows per row and
    /// ODE step. In every mode, the positions a row may hold beyond its prompt.
    public var maxTokens: Int
    public var promptTokens: Int

    public init(id: String, mode: SequenceMode, sampling: SamplingOptions, seed: UInt64, maxTokens: Int,
                promptTokens: Int) {
        self.id = id
        self.mode = mode
        self.sampling = sampling
        self.seed = seed
        self.maxTokens = maxTokens
        self.promptTokens = promptTokens
    }
}

/// One sequence row's share of a step's activations.
public struct StepSlot: Sendable, Equatable {
    public var sequenceID: String
    public var row: Int
    public var tokenCount: Int
    /// Positions already cached for this row before the step (a consistency check
    /// between stages). A flow step's cache is first rewound to this (its prompt prefix).
    public var position: Int
    /// Rotary position of the slot's first token: `position`, except for flow steps,
    /// whose `t_emb` takes the prompt's last slot (T − 1) whatever the row caches.
    public var firstPosition: Int

    public init(sequenceID: String, row: Int, tokenCount: Int, position: Int, firstPosition: Int? = nil) {
        self.sequenceID = sequenceID
        self.row = row
        self.tokenCount = tokenCount
        self.position = position
        self.firstPosition = firstPosition ?? position
    }
}

/// Activations travelling from one stage to the next: `hidden` `[Σ tokenCount, hidden]`
/// with rows in slot order. Sequences seen for the first time bring their spec.
public struct StepBatch: Sendable {
    public var stepID: UInt64
    public var slots: [StepSlot]
    public var hidden: Tensor
    public var newSequences: [SequenceSpec]

    public init(stepID: UInt64, slots: [StepSlot], hidden: Tensor, newSequences: [SequenceSpec]) {
        self.stepID = stepID
        self.slots = slots
        self.hidden = hidden
        self.newSequences = newSequences
    }
}

public enum FinishReason: String, Sendable, Equatable {
    case endOfSequence = "eos"
    case maxTokens = "max_tokens"
    /// A flow sequence ran every ODE step.
    case complete
}

/// The tokens the last stage chose for one sequence in one step: one per image (image
/// mode) or one (text mode). A text sequence that hit a stop token carries no token. A
/// flow sequence carries none either, but its latents after the step instead.
public struct SequenceTokens: Sendable, Equatable {
    public var sequenceID: String
    public var tokens: [Int]
    public var finish: FinishReason?
    /// Index of this step within the sequence (0 = after the prompt; for a flow
    /// sequence, step k ≥ 1 is the k-th ODE step).
    public var step: Int
    /// Flow: the latents `[images, C, S, S]` after this step (the initial noise after the
    /// prompt), the next step's input; after the last step, the final latents.
    public var latents: Tensor?

    public init(sequenceID: String, tokens: [Int], finish: FinishReason?, step: Int, latents: Tensor? = nil) {
        self.sequenceID = sequenceID
        self.tokens = tokens
        self.finish = finish
        self.step = step
        self.latents = latents
    }

    /// Equal values, latents compared by shape and numbers.
    public static func == (lhs: SequenceTokens, rhs: SequenceTokens) -> Bool {
        guard lhs.sequenceID == rhs.sequenceID, lhs.tokens == rhs.tokens, lhs.finish == rhs.finish,
              lhs.step == rhs.step else { return false }
        switch (lhs.latents, rhs.latents) {
        case (nil, nil): return true
        case let (left?, right?): return left.shape == right.shape && left.floats() == right.floats()
        default: return false
        }
    }
}

/// A problem a stage reports instead of acting (desynchronised caches, unknown ids…).
public struct PipelineError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
