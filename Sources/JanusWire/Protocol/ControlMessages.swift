// Bodies any process may send: announcing itself, liveness, errors and acks.

/// A worker announces itself to the router (and again after a reconnect).
public struct Hello: Sendable, Equatable {
    public var role: Role
    /// Process name from the cluster file, e.g. "stage-1".
    public var name: String
    /// Node name from the cluster file.
    public var node: String
    /// Concurrent items it accepts.
    public var capacity: UInt32
    /// Set for `.stage` workers.
    public var stage: StageInfo?

    public init(role: Role = .unspecified, name: String = "", node: String = "",
                capacity: UInt32 = 0, stage: StageInfo? = nil) {
        self.role = role
        self.name = name
        self.node = node
        self.capacity = capacity
        self.stage = stage
    }
}

/// Where a pipeline stage sits: its index and its slice of the decoder layers.
public struct StageInfo: Sendable, Equatable {
    public var index: UInt32
    public var count: UInt32
    public var firstLayer: UInt32
    /// Exclusive.
    public var endLayer: UInt32
    /// Where this stage receives activations and tokens.
    public var dataEndpoint: String

    public init(index: UInt32 = 0, count: UInt32 = 0, firstLayer: UInt32 = 0, endLayer: UInt32 = 0,
                dataEndpoint: String = "") {
        self.index = index
        self.count = count
        self.firstLayer = firstLayer
        self.endLayer = endLayer
        self.dataEndpoint = dataEndpoint
    }
}

public struct Heartbeat: Sendable, Equatable {
    /// Items in flight.
    public var load: UInt32
    public var queued: UInt32

    public init(load: UInt32 = 0, queued: UInt32 = 0) {
        self.load = load
        self.queued = queued
    }
}

/// The `Error` body: a request failed. (Named `ErrorReply` so it never shadows
/// `Swift.Error`.)
public struct ErrorReply: Sendable, Equatable {
    public var code: ErrorCode
    public var message: String
    /// Name of the process that raised it.
    public var origin: String

    public init(code: ErrorCode = .unspecified, message: String = "", origin: String = "") {
        self.code = code
        self.message = message
        self.origin = origin
    }
}

public struct Ack: Sendable, Equatable {
    public init() {}
}
