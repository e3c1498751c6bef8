/// What a receiver accepts. Everything is checked before memory is allocated for it,
/// so a hostile or broken peer cannot make a process allocate more than it sent.
public struct WireLimits: Sendable, Equatable {
    /// Size of the protobuf header frame.
    public var maxHeaderBytes: Int = 1 << 20
    public var maxRequestIDBytes: Int = 128
    /// Tensors (= frames after the header) in one message.
    public var maxTensors: Int = 1024
    public var maxRank: Int = 8
    /// Largest single dimension.
    public var maxDimension: UInt64 = 1 << 31
    /// Elements of all the message's tensors together.
    public var maxElements: UInt64 = 1 << 31
    /// Bytes of all the message's tensors together.
    public var maxTensorBytes: UInt64 = 4 << 30

    public init() {}

    public static let `default` = WireLimits()
}
