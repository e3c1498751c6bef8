import Foundation
import JanusServe
import JanusWire

/// A message the fake router took off its backend socket, with the routing id (= the
/// worker's process name) it came from.
struct Inbound {
    let from: String
    let received: Received

    var message: WireMessage? { received.message }
    var requestID: String? { received.message?.requestID }
}

/// The router's side of the backend, just enough to drive workers in tests: a ROUTER
/// socket bound at the cluster's backend endpoint that records every `Hello` and
/// `Heartbeat`, heartbeats the workers it knows while it waits (unless told not to),
/// and hands out the other messages in arrival order, keeping those a test did not ask
/// for yet. Used by the test's own thread only.
final class FakeRouter {
    let context: ZMQContext
    let socket: ZMQSocket
    let heartbeatMilliseconds: Int
    /// When false the workers hear nothing unasked, and must reconnect.
    var sendsHeartbeats = true
    private(set) var hellos: [(from: String, hello: Hello)] = []
    private(set) var heartbeats: [(from: String, heartbeat: Heartbeat)] = []
    private var inbox: [Inbound] = []
    private var known: Set<String> = []
    private var lastBeat = Date.distantPast
    private var pushers: [ZMQSocket] = []

    init(cluster: TestCluster) throws {
        context = try ZMQContext()
        socket = try context.socket(.router)
        try socket.bind(cluster.backendEndpoint)
        heartbeatMilliseconds = cluster.spec.policy.heartbeatIntervalMilliseconds
    }

    // MARK: Waiting

    /// The first message, in arrival order, for which `matches` holds; nil when none came
    /// within `timeout` seconds. Messages passed over stay for later calls.
    func next(timeout: TimeInterval = 60, where matches: (Inbound) -> Bool) throws -> Inbound? {
        if let index = inbox.firstIndex(where: matches) { return inbox.remove(at: index) }
        let deadline = Date() + timeout
        while Date() < deadline {
            guard let inbound = try receiveOne() else { continue }
            if matches(inbound) { return inbound }
            inbox.append(inbound)
        }
        return nil
    }

    /// Keeps receiving (and heartbeating) until `condition` holds; false on timeout.
    func pump(timeout: TimeInterval = 60, until condition: () -> Bool) throws -> Bool {
        let deadline = Date() + timeout
        while !condition() {
            guard Date() < deadline else { return false }
            if let inbound = try receiveOne() { inbox.append(inbound) }
        }
        return true
    }

    /// The reply (message or refusal) carrying `requestID`.
    func reply(to requestID: String, timeout: TimeInterval = 60) throws -> Inbound? {
        try next(timeout: timeout) { $0.requestID == requestID || $0.received.error?.requestID == requestID }
    }

    /// The next `Error` any worker sent, with its request id.
    func nextError(timeout: TimeInterval = 60,
                   where matches: (String, ErrorReply) -> Bool = { _, _ in true }) throws -> (requestID: String, error: ErrorReply)? {
        let found = try next(timeout: timeout) { inbound in
            guard let message = inbound.message, case .error(let error) = message.body else { return false }
            return matches(message.requestID, error)
        }
        guard let message = found?.message, case .error(let error) = message.body else { return nil }
        return (message.requestID, error)
    }

    @discardableResult
    func waitForHello(from name: String, timeout: TimeInterval = 60) throws -> Hello? {
        let found = try next(timeout: timeout) { inbound in
            if case .hello(let hello)? = inbound.message?.body { return hello.name == name }
            return false
        }
        guard case .hello(let hello)? = found?.message?.body else { return nil }
        return hello
    }

    private func receiveOne() throws -> Inbound? {
        beatIfDue()
        guard let received = try socket.receive(timeoutMilliseconds: 10) else { return nil }
        let from = String(decoding: received.routingID ?? Data(), as: UTF8.self)
        switch received.message?.body {
        case .heartbeat(let heartbeat)?:
            heartbeats.append((from, heartbeat))
            return nil
        case .hello(let hello)?:
            hellos.append((from, hello))
            known.insert(from)
        default:
            break
        }
        return Inbound(from: from, received: received)
    }

    private func beatIfDue() {
        guard sendsHeartbeats, Date().timeIntervalSince(lastBeat) * 1000 >= Double(heartbeatMilliseconds) else { return }
        lastBeat = Date()
        for name in known { try? send(WireMessage(requestID: "router", body: .heartbeat(Heartbeat())), to: name) }
    }

    // MARK: Sending

    func send(_ message: WireMessage, to name: String) throws {
        try socket.send(message, to: Data(name.utf8))
    }

    /// Raw frames (after the routing id), for malformed messages.
    func sendFrames(_ frames: [Data], to name: String) throws {
        try socket.sendMultipart([Data(name.utf8)] + frames)
    }

    /// Raw frames PUSHed into a stage's data endpoint, as a (broken) upstream stage would.
    func push(_ frames: [Data], to endpoint: String) throws {
        let pusher = try context.socket(.push)
        try pusher.connect(endpoint)
        try pusher.sendMultipart(frames)
        pushers.append(pusher)  // kept open: closing would drop what is not yet delivered
    }
}
