import CZeroMQ
import Foundation

/// The socket types the cluster uses (ZeroMQ guide, chapters 3 and 4).
public enum ZMQSocketType: Sendable, Equatable, CaseIterable {
    /// Many peers, addressed by routing id: the router process, encoder/decoder pools.
    case router
    /// The peer of a ROUTER: workers and clients.
    case dealer
    /// One-way pipeline hops.
    case push
    case pull

    var zmqType: Int32 {
        switch self {
        case .router: ZMQ_ROUTER
        case .dealer: ZMQ_DEALER
        case .push: ZMQ_PUSH
        case .pull: ZMQ_PULL
        }
    }
}

/// Socket options this project sets. Most must be set before `bind`/`connect` to apply.
public enum ZMQSocketOption: Sendable, Equatable {
    /// How long `close` keeps unsent messages; -1 = until sent. New sockets use 0, so
    /// closing never hangs on a peer that is gone.
    case linger(milliseconds: Int32)
    /// The id a ROUTER peer sees for this socket (1…255 bytes, not starting with 0).
    case routingID(Data)
    /// Messages queued per peer before sends block (DEALER, PUSH) or drop (ROUTER).
    case sendHighWaterMark(Int32)
    case receiveHighWaterMark(Int32)
    /// ROUTER: fail with EHOSTUNREACH instead of silently dropping a message to an
    /// unknown peer.
    case routerMandatory(Bool)
    /// ROUTER: a new connection with a routing id already in use takes it over (a
    /// restarted worker replaces its dead predecessor at once).
    case routerHandover(Bool)
    case reconnectInterval(milliseconds: Int32)
    /// Upper bound of the exponential reconnect back-off; 0 = no back-off.
    case reconnectIntervalMax(milliseconds: Int32)
    /// Queue messages only to completed connections.
    case immediate(Bool)
    /// Disconnect peers that send a larger frame; -1 = no limit. Bounds memory before
    /// `WireLimits` can even look at a message.
    case maxMessageSize(Int64)
    /// How long a blocking send waits; -1 = forever. On expiry the send throws EAGAIN.
    case sendTimeout(milliseconds: Int32)
}

/// A ZeroMQ socket.
///
/// Not thread-safe, like the libzmq socket under it: one owner thread uses it (it may be
/// handed to another thread, which then becomes the only one to use it). Hence it is not
/// `Sendable`. It closes itself when released, discarding unsent messages unless
/// `.linger` says otherwise.
public final class ZMQSocket {
    public let type: ZMQSocketType
    /// Kept so the context outlives its sockets.
    private let context: ZMQContext
    /// nil once closed.
    private var handle: UnsafeMutableRawPointer?

    init(type: ZMQSocketType, context: ZMQContext, options: [ZMQSocketOption]) throws(ZMQError) {
        guard let handle = zmq_socket(context.handle, type.zmqType) else { throw .last("create \(type) socket") }
        self.type = type
        self.context = context
        self.handle = handle
        try set(.linger(milliseconds: 0))
        for option in options { try set(option) }
    }

    deinit { close() }

    public func close() {
        guard let handle else { return }
        zmq_close(handle)
        self.handle = nil
    }

    public var isClosed: Bool { handle == nil }

    /// The libzmq socket, or an ENOTSOCK error naming `operation` once closed.
    func openHandle(_ operation: @autoclosure () -> String) throws(ZMQError) -> UnsafeMutableRawPointer {
        guard let handle else {
            throw ZMQError(operation: operation(), errorNumber: ENOTSOCK, reason: "the socket is closed")
        }
        return handle
    }

    // MARK: Endpoints

    /// Binds to `endpoint` (checked first, see `Endpoint`) and returns the endpoint
    /// actually bound: with `tcp://host:*` ZeroMQ picks a free port, and this says which.
    @discardableResult
    public func bind(_ endpoint: String) throws(ZMQError) -> String {
        try attach("bind", endpoint, zmq_bind)
        return try lastEndpoint()
    }

    public func connect(_ endpoint: String) throws(ZMQError) {
        try attach("connect", endpoint, zmq_connect)
    }

    public func disconnect(_ endpoint: String) throws(ZMQError) {
        try attach("disconnect", endpoint, zmq_disconnect)
    }

    public func unbind(_ endpoint: String) throws(ZMQError) {
        try attach("unbind", endpoint, zmq_unbind)
    }

    private func attach(_ verb: String, _ endpoint: String,
                        _ call: (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32) throws(ZMQError) {
        let operation = "\(verb) \(endpoint)"
        do {
            _ = try Endpoint(parsing: endpoint)
        } catch {
            throw ZMQError(operation: operation, errorNumber: EINVAL, reason: error.reason)
        }
        let handle = try openHandle(operation)
        guard call(handle, endpoint) == 0 else { throw .last(operation) }
    }

    /// The endpoint last bound (or connected), with any `*` resolved.
    public func lastEndpoint() throws(ZMQError) -> String {
        let handle = try openHandle("read the last endpoint")
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        guard zmq_getsockopt(handle, ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw .last("read the last endpoint")
        }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: Options

    public func set(_ option: ZMQSocketOption) throws(ZMQError) {
        switch option {
        case .linger(let milliseconds): try setInteger(ZMQ_LINGER, milliseconds, option)
        case .routingID(let id): try setBytes(ZMQ_ROUTING_ID, id, option)
        case .sendHighWaterMark(let count): try setInteger(ZMQ_SNDHWM, count, option)
        case .receiveHighWaterMark(let count): try setInteger(ZMQ_RCVHWM, count, option)
        case .routerMandatory(let on): try setInteger(ZMQ_ROUTER_MANDATORY, Int32(on ? 1 : 0), option)
        case .routerHandover(let on): try setInteger(ZMQ_ROUTER_HANDOVER, Int32(on ? 1 : 0), option)
        case .reconnectInterval(let milliseconds): try setInteger(ZMQ_RECONNECT_IVL, milliseconds, option)
        case .reconnectIntervalMax(let milliseconds): try setInteger(ZMQ_RECONNECT_IVL_MAX, milliseconds, option)
        case .immediate(let on): try setInteger(ZMQ_IMMEDIATE, Int32(on ? 1 : 0), option)
        case .maxMessageSize(let bytes): try setInteger(ZMQ_MAXMSGSIZE, bytes, option)
        case .sendTimeout(let milliseconds): try setInteger(ZMQ_SNDTIMEO, milliseconds, option)
        }
    }

    /// Integer options: `Int32` for most, `Int64` for sizes, exactly as libzmq expects.
    private func setInteger<Value: FixedWidthInteger>(_ name: Int32, _ value: Value,
                                                      _ option: ZMQSocketOption) throws(ZMQError) {
        var value = value
        try setRaw(name, &value, MemoryLayout<Value>.size, option)
    }

    private func setBytes(_ name: Int32, _ bytes: Data, _ option: ZMQSocketOption) throws(ZMQError) {
        var bytes = [UInt8](bytes)
        try setRaw(name, &bytes, bytes.count, option)
    }

    private func setRaw(_ name: Int32, _ value: UnsafeRawPointer, _ size: Int,
                        _ option: ZMQSocketOption) throws(ZMQError) {
        let handle = try openHandle("set \(option)")
        guard zmq_setsockopt(handle, name, value, size) == 0 else { throw .last("set \(option)") }
    }
}
