/// Why a message was refused (or a request failed), in the protocol's terms.
///
/// `message` says exactly what is wrong, e.g. "tensor 'hidden' declares [2, 64] f32 =
/// 512 bytes but frame 1 has 500 bytes", so the peer that sent it can be fixed.
public struct WireError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: ErrorCode
    public var message: String
    /// The id of the request concerned, once it was read and found valid; replies echo it.
    public var requestID: String?

    public init(_ code: ErrorCode, _ message: String, requestID: String? = nil) {
        self.code = code
        self.message = message
        self.requestID = requestID
    }

    static func malformed(_ message: String) -> WireError { WireError(.malformed, message) }
    static func invalidArgument(_ message: String) -> WireError { WireError(.invalidArgument, message) }

    public var description: String {
        "\(code): \(message)" + (requestID.map { " (request '\($0)')" } ?? "")
    }

    /// The `Error` message answering the failed request: it echoes `requestID` (the
    /// argument if given, else the one recorded in this error, else "unknown" because the
    /// request's id could not be read).
    public func reply(to requestID: String? = nil, origin: String = "") -> WireMessage {
        let id = requestID ?? self.requestID ?? "unknown"
        return WireMessage(requestID: id,
                           body: .error(ErrorReply(code: code, message: message, origin: origin)))
    }
}

/// `text` in quotes for an error message, cut short: names come from untrusted peers and
/// may be long, while errors travel back in a header that has a size limit.
func quoted(_ text: String, limit: Int = 64) -> String {
    text.count <= limit ? "'\(text)'" : "'\(text.prefix(limit))…'"
}
