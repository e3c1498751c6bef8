import JanusModels
import JanusTensor

/// What a sequence in the pipeline is for.
public enum SequenceMode: Sendable, Equatable {
    /// Understanding: one row, `lm_head`, ends at a stop token or `maxTokens`.
    case text(stopTokenIDs: Set<Int>)
    /// Generation: two rows per image (conditional, unconditional), `gen_head`, CFG,
    /// exactly `maxTokens` tokens per image.
    case image(count: Int, cfgWeight: Float, padID: Int)

    var rowCount: Int {
        switch self {
        case .text: 1
        case .image(let count, _, _): 2 * count
        }
    }
}

/// Everything every stage needs to know about one sequence (a whole request: all
/// rows of a CFG generation, or one understanding answer).
public struct SequenceSpec: Sendable, Equatable {
    public var id: String
    public var mode: SequenceMode
    public var sampling: SamplingOptions
    public var seed: UInt64
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
    /// between stages).
    public var position: Int

    public init(sequenceID: String, row: Int, tokenCount: Int, position: Int) {
        self.sequenceID = sequenceID
        self.row = row
        self.tokenCount = tokenCount
        self.position = position
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
}

/// The tokens the last stage chose for one sequence in one step: one per image (image
/// mode) or one (text mode). A text sequence that hit a stop token carries no token.
public struct SequenceTokens: Sendable, Equatable {
    public var sequenceID: String
    public var tokens: [Int]
    public var finish: FinishReason?
    /// Index of this step within the sequence (0 = after the prompt).
    public var step: Int

    public init(sequenceID: String, tokens: [Int], finish: FinishReason?, step: Int) {
        self.sequenceID = sequenceID
        self.tokens = tokens
        self.finish = finish
        self.step = step
    }
}

/// A problem a stage reports instead of acting (desynchronised caches, unknown ids…).
public struct PipelineError: Error, CustomStringConvertible, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
