/// The enums of `proto/janus.proto`, with the same numbers.
///
/// proto3 enums are open: a peer may send a number this version does not know, and
/// protobuf-c keeps it. Decoding maps each number through `init(rawValue:)` and rejects
/// the unknown ones, so a Swift value of these types is always one of the cases.

/// What a process is in the cluster.
public enum Role: UInt32, Sendable, Equatable, CaseIterable {
    case unspecified = 0
    case router = 1
    case encoder = 2
    case stage = 3
    case decoder = 4
    case client = 5
}

/// What went wrong, in the protocol's terms.
public enum ErrorCode: UInt32, Sendable, Equatable, CaseIterable {
    case unspecified = 0
    /// The message itself is broken.
    case malformed = 1
    case unsupportedVersion = 2
    /// Well-formed, but the request cannot be served.
    case invalidArgument = 3
    /// Admission limit reached: retry later.
    case overloaded = 4
    case deadlineExceeded = 5
    /// A process the request needs is gone.
    case unavailable = 6
    case cancelled = 7
    case internalError = 8
    /// Unknown request / sequence / node.
    case notFound = 9
}

/// How a sequence runs through the pipeline.
public enum SequenceMode: UInt32, Sendable, Equatable, CaseIterable {
    case unspecified = 0
    /// Understanding: one row, lm_head, stops at the stop tokens.
    case text = 1
    /// Generation: two rows per image (classifier-free guidance), gen_head.
    case image = 2
    /// JanusFlow generation: two rows per image (conditional rows first), the
    /// rectified-flow ODE; every step re-runs `t_emb` and the image rows over the cached
    /// prompt prefix.
    case flow = 3
}

/// The protocol version this code speaks (`PROTOCOL_VERSION_CURRENT`).
public let currentProtocolVersion: UInt32 = 1
