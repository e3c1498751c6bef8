import Foundation

/// Frame 0 of every message, minus the tensor descriptions: those are derived from the
/// message's tensors when encoding and checked against the frames when decoding, so no
/// caller ever writes one by hand.
public struct WireHeader: Sendable, Equatable {
    /// `currentProtocolVersion` for everything this code sends; decoding rejects others.
    public var version: UInt32
    /// Non-empty, at most `WireLimits.maxRequestIDBytes` bytes of UTF-8; replies carry
    /// the request's id.
    public var requestID: String
    /// Unix epoch milliseconds; 0 = no deadline.
    public var deadlineMilliseconds: UInt64
    public var body: WireBody

    public init(version: UInt32 = currentProtocolVersion, requestID: String,
                deadlineMilliseconds: UInt64 = 0, body: WireBody) {
        self.version = version
        self.requestID = requestID
        self.deadlineMilliseconds = deadlineMilliseconds
        self.body = body
    }

    /// The deadline as a date; nil when there is none. Setting rounds down to whole
    /// milliseconds (dates before 1970 become "no deadline").
    public var deadline: Date? {
        get {
            deadlineMilliseconds == 0 ? nil : Date(timeIntervalSince1970: Double(deadlineMilliseconds) / 1000)
        }
        set {
            guard let newValue else { deadlineMilliseconds = 0; return }
            let milliseconds = (newValue.timeIntervalSince1970 * 1000).rounded(.down)
            deadlineMilliseconds = milliseconds >= 1 && milliseconds < 1.8e19 ? UInt64(milliseconds) : 0
        }
    }
}
