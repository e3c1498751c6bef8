import Foundation
import JanusTensor
import JanusWire

/// A client of the router: one DEALER connection, one request at a time.
public final class RouterClient {
    public let endpoint: String
    private let socket: ZMQSocket

    public struct Failure: Error, CustomStringConvertible {
        public let code: ErrorCode?
        public let message: String
        public var description: String { code.map { "\($0): \(message)" } ?? message }
    }

    public init(endpoint: String, context: ZMQContext) throws {
        self.endpoint = endpoint
        socket = try context.socket(.dealer, options: [])
        try socket.connect(endpoint)
    }

    deinit { socket.close() }

    /// Sends a request and hands every reply to `onReply` until it returns true
    /// (the exchange is over) or the router stays silent past `timeout`.
    public func exchange(_ body: WireBody, tensors: [NamedTensor] = [], deadline: TimeInterval,
                         onReply: (WireMessage) throws -> Bool) throws {
        let id = UUID().uuidString
        let deadlineMilliseconds = UInt64((Date().timeIntervalSince1970 + deadline) * 1000)
        try socket.send(WireMessage(header: WireHeader(requestID: id, deadlineMilliseconds: deadlineMilliseconds, body: body),
                                    tensors: tensors))
        // Silence is tolerated up to the deadline plus a margin for the error reply.
        let giveUp = Date().addingTimeInterval(deadline + 5)
        while true {
            let remaining = giveUp.timeIntervalSinceNow
            guard remaining > 0 else {
                throw Failure(code: nil, message: "no answer from the router at \(endpoint) within \(Int(deadline + 5)) s")
            }
            guard let received = try socket.receive(timeoutMilliseconds: Int(min(remaining, 1) * 1000)) else { continue }
            let message: WireMessage
            switch received.result {
            case .success(let value): message = value
            case .failure(let error): throw Failure(code: error.code, message: "bad reply from the router: \(error.message)")
            }
            guard message.requestID == id else { continue }  // a reply to an earlier, abandoned request
            if case .error(let error) = message.body { throw Failure(code: error.code, message: error.message) }
            if try onReply(message) { return }
        }
    }

    /// Generates images; `onImage` receives each PNG and its token grid as it is ready.
    public func generate(_ request: GenerateRequest, deadline: TimeInterval,
                         onProgress: (ProgressUpdate) -> Void = { _ in },
                         onImage: (Int, Data, [Int]) throws -> Void) throws -> Done {
        var result = Done()
        try exchange(.generate(request), deadline: deadline) { message in
            switch message.body {
            case .progress(let update): onProgress(update)
            case .image(let image):
                guard let png = message.tensor(named: "png"), let tokens = message.tensor(named: "tokens") else {
                    throw Failure(code: .malformed, message: "image \(image.index) arrived without png/tokens")
                }
                try onImage(Int(image.index), Data(png.rawBytes), tokens.integers().map(Int.init))
            case .done(let done):
                result = done
                return true
            default: break
            }
            return false
        }
        return result
    }

    /// Asks a question about images (file bytes, PNG or JPEG); `onText` receives the
    /// answer as it streams.
    public func ask(_ request: AskRequest, images: [Data], deadline: TimeInterval,
                    onProgress: (ProgressUpdate) -> Void = { _ in },
                    onText: (String) -> Void) throws -> Done {
        let tensors = images.enumerated().map { index, data in
            NamedTensor(name: "image.\(index)", tensor: Tensor(shape: [data.count], [UInt8](data)))
        }
        var result = Done()
        try exchange(.ask(request), tensors: tensors, deadline: deadline) { message in
            switch message.body {
            case .progress(let update): onProgress(update)
            case .text(let delta): onText(delta.text)
            case .done(let done):
                result = done
                return true
            default: break
            }
            return false
        }
        return result
    }

    public func status(timeout: TimeInterval = 10) throws -> StatusReply {
        var reply = StatusReply()
        try exchange(.statusRequest(StatusRequest()), deadline: timeout) { message in
            guard case .statusReply(let status) = message.body else { return false }
            reply = status
            return true
        }
        return reply
    }

    public func drain(node: String, timeout: TimeInterval = 10) throws {
        try exchange(.drain(DrainRequest(node: node)), deadline: timeout) { message in
            if case .ack = message.body { return true }
            return false
        }
    }
}
