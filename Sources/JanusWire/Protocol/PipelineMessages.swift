// Bodies of the pipeline: router -> stage 0 -> … -> last stage -> stage 0 / router.

public struct Sampling: Sendable, Equatable {
    public var temperature: Float
    /// 0 = off.
    public var topK: UInt32
    /// 0 = off.
    public var topP: Float
    public var greedy: Bool
    public var seed: UInt64

    public init(temperature: Float = 0, topK: UInt32 = 0, topP: Float = 0, greedy: Bool = false,
                seed: UInt64 = 0) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.greedy = greedy
        self.seed = seed
    }
}

/// What every stage needs to know about a sequence; stage 0 sends it down the pipeline
/// with the sequence's first step.
public struct SequenceSpec: Sendable, Equatable {
    public var sequenceID: String
    public var mode: SequenceMode
    /// IMAGE: images generated together (P); rows = 2P.
    public var images: UInt32
    public var cfgWeight: Float
    public var sampling: Sampling
    /// TEXT: max new tokens; IMAGE: tokens per image.
    public var maxTokens: UInt32
    public var stopTokenIDs: [Int64]
    /// IMAGE: the unconditional rows' filler.
    public var padID: UInt32
    public var promptTokens: UInt32

    public init(sequenceID: String = "", mode: SequenceMode = .unspecified, images: UInt32 = 0,
                cfgWeight: Float = 0, sampling: Sampling = Sampling(), maxTokens: UInt32 = 0,
                stopTokenIDs: [Int64] = [], padID: UInt32 = 0, promptTokens: UInt32 = 0) {
        self.sequenceID = sequenceID
        self.mode = mode
        self.images = images
        self.cfgWeight = cfgWeight
        self.sampling = sampling
        self.maxTokens = maxTokens
        self.stopTokenIDs = stopTokenIDs
        self.padID = padID
        self.promptTokens = promptTokens
    }
}

/// Router -> stage 0. Tensors: `prompt_ids` i64 [T]; optionally `image_embeddings` f32
/// [M, hidden] with `image_positions` i64 [M] (TEXT prompts with pictures).
public struct SubmitSequence: Sendable, Equatable {
    public var spec: SequenceSpec

    public init(spec: SequenceSpec = SequenceSpec()) {
        self.spec = spec
    }
}

/// The rows of `hidden` one sequence row contributes to a step.
public struct RowSlot: Sendable, Equatable {
    public var sequenceID: String
    /// 0 for TEXT; 2i / 2i+1 = image i conditional / unconditional.
    public var row: UInt32
    /// Rows of `hidden` this slot covers.
    public var tokenCount: UInt32
    /// Cached positions before this step.
    public var position: UInt32

    public init(sequenceID: String = "", row: UInt32 = 0, tokenCount: UInt32 = 0, position: UInt32 = 0) {
        self.sequenceID = sequenceID
        self.row = row
        self.tokenCount = tokenCount
        self.position = position
    }
}

/// Stage k -> stage k+1. Tensors: `hidden` f32 [rows, hidden].
public struct StepActivations: Sendable, Equatable {
    public var stepID: UInt64
    public var slots: [RowSlot]
    public var newSequences: [SequenceSpec]

    public init(stepID: UInt64 = 0, slots: [RowSlot] = [], newSequences: [SequenceSpec] = []) {
        self.stepID = stepID
        self.slots = slots
        self.newSequences = newSequences
    }
}

/// The tokens one step sampled for one sequence.
public struct SequenceTokens: Sendable, Equatable {
    public var sequenceID: String
    /// One per image (IMAGE) or one (TEXT).
    public var tokens: [Int64]
    public var finished: Bool
    /// "eos" | "max_tokens" | "complete".
    public var finishReason: String

    public init(sequenceID: String = "", tokens: [Int64] = [], finished: Bool = false,
                finishReason: String = "") {
        self.sequenceID = sequenceID
        self.tokens = tokens
        self.finished = finished
        self.finishReason = finishReason
    }
}

/// Last stage -> stage 0.
public struct SampledTokens: Sendable, Equatable {
    public var stepID: UInt64
    public var sequences: [SequenceTokens]

    public init(stepID: UInt64 = 0, sequences: [SequenceTokens] = []) {
        self.stepID = stepID
        self.sequences = sequences
    }
}

/// Last stage -> router.
public struct SequenceEvent: Sendable, Equatable {
    public var tokens: SequenceTokens
    /// Index of this step within the sequence.
    public var step: UInt32

    public init(tokens: SequenceTokens = SequenceTokens(), step: UInt32 = 0) {
        self.tokens = tokens
        self.step = step
    }
}

/// Router -> every stage.
public struct ReleaseSequence: Sendable, Equatable {
    public var sequenceID: String
    public var reason: String

    public init(sequenceID: String = "", reason: String = "") {
        self.sequenceID = sequenceID
        self.reason = reason
    }
}
