import Foundation

/// One message taken off a socket: who sent it (for ROUTER sockets) and either the
/// decoded message or why it was refused. A server answers a refusal with
/// `errorReply()` to `routingID` and keeps serving.
public struct Received: Sendable {
    /// The sender's routing id on a ROUTER socket (pass it to `send(_:to:)` to reply);
    /// nil on other socket types.
    public var routingID: Data?
    public var result: Result<WireMessage, WireError>

    public init(routingID: Data?, result: Result<WireMessage, WireError>) {
        self.routingID = routingID
        self.result = result
    }

    public var message: WireMessage? { try? result.get() }

    public var error: WireError? {
        guard case .failure(let error) = result else { return nil }
        return error
    }

    /// The Error message answering a refused message; nil if it was accepted.
    public func errorReply(origin: String = "") -> WireMessage? {
        error?.reply(origin: origin)
    }
}

extension ZMQSocket {
    /// Sends `message`: the header frame, then each tensor's bytes straight from its
    /// storage (no copy; the storage is kept alive until ZeroMQ is done with it, so the
    /// caller may drop its tensors at once but must not modify them).
    ///
    /// A ROUTER socket needs the destination's `routingID`; other types must not get one.
    /// `dontWait` throws EAGAIN instead of blocking on a full queue (DEALER, PUSH).
    /// Throws `WireError` if the message cannot be encoded, `ZMQError` if it cannot be sent.
    public func send(_ message: WireMessage, to routingID: Data? = nil, dontWait: Bool = false,
                     limits: WireLimits = .default) throws {
        switch (type, routingID) {
        case (.router, nil):
            throw ZMQError(operation: "send \(message.body.fieldName)", errorNumber: EINVAL,
                           reason: "a ROUTER socket needs the routing id of the peer to send to")
        case (.router, _), (_, nil):
            break
        case (_, .some):
            throw ZMQError(operation: "send \(message.body.fieldName)", errorNumber: EINVAL,
                           reason: "only ROUTER sockets address peers by routing id")
        }
        let encoded = try message.encoded(limits: limits)
        let envelope = routingID.map { [OutgoingFrame.bytes($0)] } ?? []
        try send(envelope + [.bytes(encoded.header)] + encoded.tensors.map(OutgoingFrame.tensor),
                 dontWait: dontWait)
    }

    /// The next message, decoded and validated, or nil if none arrived within
    /// `timeoutMilliseconds` (nil waits forever). A bad message is returned as a
    /// `Received` holding the `WireError`, never thrown: only transport failures throw.
    public func receive(timeoutMilliseconds: Int? = nil,
                        limits: WireLimits = .default) throws(ZMQError) -> Received? {
        guard var frames = try receiveMultipart(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
        // ROUTER sockets prefix every message with the sender's routing id.
        let routingID = type == .router && !frames.isEmpty ? frames.removeFirst() : nil
        let result = Result { () throws(WireError) -> WireMessage in
            try WireMessage(frames: frames, limits: limits)
        }
        return Received(routingID: routingID, result: result)
    }
}
