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
    /// IMAGE, FLOW: images generated together (P); rows = 2P.
    public var images: UInt32
    public var cfgWeight: Float
    /// FLOW: only the seed (of the initial noise) is used.
    public var sampling: Sampling
    /// TEXT: max new tokens; IMAGE: tokens per image; FLOW: image-token rows per row and
    /// step (`gen_grid_size²`).
    public var maxTokens: UInt32
    public var stopTokenIDs: [Int64]
    /// IMAGE, FLOW: the unconditional rows' filler.
    public var padID: UInt32
    public var promptTokens: UInt32
    /// FLOW: Euler steps of the ODE.
    public var flowSteps: UInt32
    /// FLOW: the latents are `[images, latentChannels, latentSize, latentSize]`.
    public var latentChannels: UInt32
    public var latentSize: UInt32

    public init(sequenceID: String = "", mode: SequenceMode = .unspecified, images: UInt32 = 0,
                cfgWeight: Float = 0, sampling: Sampling = Sampling(), maxTokens: UInt32 = 0,
                stopTokenIDs: [Int64] = [], padID: UInt32 = 0, promptTokens: UInt32 = 0,
                flowSteps: UInt32 = 0, latentChannels: UInt32 = 0, latentSize: UInt32 = 0) {
        self.sequenceID = sequenceID
        self.mode = mode
        self.images = images
        self.cfgWeight = cfgWeight
        self.sampling = sampling
        self.maxTokens = maxTokens
        self.stopTokenIDs = stopTokenIDs
        self.padID = padID
        self.promptTokens = promptTokens
        self.flowSteps = flowSteps
        self.latentChannels = latentChannels
        self.latentSize = latentSize
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
    /// Cached positions before this step (FLOW steps: the row's prompt prefix, to which
    /// the cache is rewound first).
    public var position: UInt32
    /// Rotary position of the slot's first token; 0 means `position`. FLOW steps start at
    /// T − 1: `t_emb` takes the prompt's last slot.
    public var firstPosition: UInt32

    public init(sequenceID: String = "", row: UInt32 = 0, tokenCount: UInt32 = 0, position: UInt32 = 0,
                firstPosition: UInt32 = 0) {
        self.sequenceID = sequenceID
        self.row = row
        self.tokenCount = tokenCount
        self.position = position
        self.firstPosition = firstPosition
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
    /// One per image (IMAGE), one (TEXT), none (FLOW).
    public var tokens: [Int64]
    public var finished: Bool
    /// "eos" | "max_tokens" | "complete" (FLOW: every step ran).
    public var finishReason: String

    public init(sequenceID: String = "", tokens: [Int64] = [], finished: Bool = false,
                finishReason: String = "") {
        self.sequenceID = sequenceID
        self.tokens = tokens
        self.finished = finished
        self.finishReason = finishReason
    }
}

/// Last stage -> stage 0. Tensors: `latents.<k>` f32 `[images, C, S, S]` for each
/// unfinished FLOW sequence `k` of `sequences` (the next step's input).
public struct SampledTokens: Sendable, Equatable {
    public var stepID: UInt64
    public var sequences: [SequenceTokens]

    public init(stepID: UInt64 = 0, sequences: [SequenceTokens] = []) {
        self.stepID = stepID
        self.sequences = sequences
    }
}

/// Last stage -> router. Tensors: `latents` f32 `[images, C, S, S]` when a FLOW sequence
/// finished (its final latents).
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
