// Client <-> router bodies.

public struct GenerateRequest: Sendable, Equatable {
    public var prompt: String
    public var count: UInt32
    public var cfgWeight: Float
    public var sampling: Sampling
    /// 0 = the model's (JanusFlow: only 0, its image size is fixed).
    public var imageSize: UInt32
    /// JanusFlow: Euler steps of the ODE, 0 = the default (30). Janus-Pro: only 0.
    public var steps: UInt32
    /// Ignore `cfgWeight` and use the model's default (Janus-Pro 5, JanusFlow 2).
    public var defaultCFG: Bool

    public init(prompt: String = "", count: UInt32 = 0, cfgWeight: Float = 0,
                sampling: Sampling = Sampling(), imageSize: UInt32 = 0, steps: UInt32 = 0, defaultCFG: Bool = false) {
        self.prompt = prompt
        self.count = count
        self.cfgWeight = cfgWeight
        self.sampling = sampling
        self.imageSize = imageSize
        self.steps = steps
        self.defaultCFG = defaultCFG
    }
}

/// Tensors: `image.<i>` u8 [bytes] (PNG/JPEG files).
public struct AskRequest: Sendable, Equatable {
    /// May hold one `<image_placeholder>` per image.
    public var question: String
    public var maxNewTokens: UInt32
    public var sampling: Sampling

    public init(question: String = "", maxNewTokens: UInt32 = 0, sampling: Sampling = Sampling()) {
        self.question = question
        self.maxNewTokens = maxNewTokens
        self.sampling = sampling
    }
}

/// The `Progress` body. (Named `ProgressUpdate` so it never clashes with
/// `Foundation.Progress` in files that import both.)
public struct ProgressUpdate: Sendable, Equatable {
    /// "queued" | "encoding" | "generating" | "decoding".
    public var phase: String
    public var done: UInt32
    public var total: UInt32

    public init(phase: String = "", done: UInt32 = 0, total: UInt32 = 0) {
        self.phase = phase
        self.done = done
        self.total = total
    }
}

/// Tensors: `png` u8 [bytes], `tokens` i64 [h·w] (JanusFlow: [0], it has no image tokens).
public struct ImageResult: Sendable, Equatable {
    public var index: UInt32

    public init(index: UInt32 = 0) {
        self.index = index
    }
}

public struct TextDelta: Sendable, Equatable {
    public var text: String

    public init(text: String = "") {
        self.text = text
    }
}

public struct Done: Sendable, Equatable {
    public var text: String
    public var tokenIDs: [Int64]
    public var stopReason: String
    public var promptTokens: UInt32

    public init(text: String = "", tokenIDs: [Int64] = [], stopReason: String = "", promptTokens: UInt32 = 0) {
        self.text = text
        self.tokenIDs = tokenIDs
        self.stopReason = stopReason
        self.promptTokens = promptTokens
    }
}

public struct StatusRequest: Sendable, Equatable {
    public init() {}
}

public struct ProcessStatus: Sendable, Equatable {
    public var name: String
    public var role: Role
    public var node: String
    public var healthy: Bool
    public var draining: Bool
    public var load: UInt32
    public var lastSeenMillisecondsAgo: UInt64

    public init(name: String = "", role: Role = .unspecified, node: String = "", healthy: Bool = false,
                draining: Bool = false, load: UInt32 = 0, lastSeenMillisecondsAgo: UInt64 = 0) {
        self.name = name
        self.role = role
        self.node = node
        self.healthy = healthy
        self.draining = draining
        self.load = load
        self.lastSeenMillisecondsAgo = lastSeenMillisecondsAgo
    }
}

/// Counters and latency percentiles of one request class.
public struct ClassStatus: Sendable, Equatable {
    /// "generate" | "understand".
    public var name: String
    public var queued: UInt32
    public var inFlight: UInt32
    public var completed: UInt64
    public var failed: UInt64
    public var p50Milliseconds: Double
    public var p90Milliseconds: Double
    public var p99Milliseconds: Double

    public init(name: String = "", queued: UInt32 = 0, inFlight: UInt32 = 0, completed: UInt64 = 0,
                failed: UInt64 = 0, p50Milliseconds: Double = 0, p90Milliseconds: Double = 0,
                p99Milliseconds: Double = 0) {
        self.name = name
        self.queued = queued
        self.inFlight = inFlight
        self.completed = completed
        self.failed = failed
        self.p50Milliseconds = p50Milliseconds
        self.p90Milliseconds = p90Milliseconds
        self.p99Milliseconds = p99Milliseconds
    }
}

public struct StatusReply: Sendable, Equatable {
    public var processes: [ProcessStatus]
    public var classes: [ClassStatus]

    public init(processes: [ProcessStatus] = [], classes: [ClassStatus] = []) {
        self.processes = processes
        self.classes = classes
    }
}

public struct DrainRequest: Sendable, Equatable {
    public var node: String

    public init(node: String = "") {
        self.node = node
    }
}

public struct Cancel: Sendable, Equatable {
    public init() {}
}
