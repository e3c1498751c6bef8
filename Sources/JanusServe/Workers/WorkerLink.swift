import Foundation
import JanusWire
import Logging

/// A worker's connection to the router (docs/PROTOCOL.md, "Liveness"): a DEALER on the
/// router's backend endpoint whose routing id is the process name, so the router
/// addresses the worker by name.
///
/// It says `Hello` on every (re)connect, sends a `Heartbeat` with the worker's load every
/// interval, and when the router has been silent for liveness × interval it closes the
/// socket, connects afresh and says `Hello` again (the router may have restarted). An
/// `Error(NOT_FOUND)` from the router means it does not know this worker: `Hello` again.
///
/// Used by the one thread running the worker's loop.
public final class WorkerLink {
    public let name: String
    private let hello: Hello
    private let endpoint: String
    private let heartbeat: HeartbeatSettings
    private let context: ZMQContext
    private let logger: Logger
    private let clock = ContinuousClock()

    public private(set) var socket: ZMQSocket
    private var lastHeard: ContinuousClock.Instant
    private var lastHeartbeat: ContinuousClock.Instant
    /// The load reported in heartbeats, asked for when one is due.
    var load: () -> Heartbeat = { Heartbeat() }

    init(context: ZMQContext, endpoint: String, hello: Hello, heartbeat: HeartbeatSettings,
         logger: Logger) throws {
        self.context = context
        self.endpoint = endpoint
        self.hello = hello
        self.heartbeat = heartbeat
        self.logger = logger
        name = hello.name
        socket = try Self.connect(context: context, endpoint: endpoint, name: hello.name)
        lastHeard = clock.now
        lastHeartbeat = clock.now
        sendHello()
    }

    private static func connect(context: ZMQContext, endpoint: String, name: String) throws -> ZMQSocket {
        let socket = try context.socket(.dealer, options: [.routingID(Data(name.utf8))])
        try socket.connect(endpoint)
        return socket
    }

    func close() { socket.close() }

    // MARK: Receiving

    /// Every message waiting from the router (at most `limit`), without blocking. Any
    /// message, even a malformed one, proves the router alive. Liveness is judged right
    /// after this (`performDuties`), so time spent handling what was read never counts
    /// as the router's silence.
    func receiveWaiting(limit: Int) throws -> [Received] {
        var messages: [Received] = []
        while messages.count < limit, let received = try socket.receive(timeoutMilliseconds: 0) {
            messages.append(received)
        }
        if !messages.isEmpty { lastHeard = clock.now }
        return messages
    }

    /// Handles what the link itself understands; returns false for messages the worker
    /// must handle.
    func handleControl(_ message: WireMessage) -> Bool {
        switch message.body {
        case .heartbeat, .hello, .ack:
            return true
        case .error(let error) where error.code == .notFound:
            logger.info("the router does not know this worker (\(error.message)); saying hello again")
            sendHello()
            return true
        case .error(let error):
            logger.warning("error from the router for \(message.requestID): \(error.code): \(error.message)")
            return true
        default:
            return false
        }
    }

    // MARK: Duties

    /// Sends a heartbeat when one is due and reconnects when the router has been silent
    /// too long. Call right after `receiveWaiting`.
    func performDuties() throws {
        if clock.now - lastHeard >= .milliseconds(heartbeat.silenceLimitMilliseconds) {
            try reconnect()
        }
        keepAlive()
    }

    /// Sends a heartbeat if one is due; never judges the router (long work may keep the
    /// loop from reading it). Long computations call this between their parts.
    public func keepAlive() {
        guard clock.now - lastHeartbeat >= .milliseconds(heartbeat.intervalMilliseconds) else { return }
        lastHeartbeat = clock.now
        do {
            try socket.send(WireMessage(requestID: name, body: .heartbeat(load())), dontWait: true)
        } catch {
            // The router is gone or slow; silence will make us reconnect.
            logger.debug("heartbeat not sent: \(error)")
        }
    }

    /// How long the loop may wait before a duty is due.
    var millisecondsUntilNextDuty: Int {
        let nextHeartbeat = lastHeartbeat + .milliseconds(heartbeat.intervalMilliseconds)
        let silenceLimit = lastHeard + .milliseconds(heartbeat.silenceLimitMilliseconds)
        let left = clock.now.duration(to: min(nextHeartbeat, silenceLimit))
        return max(0, Int(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000))
    }

    private func reconnect() throws {
        logger.warning("no message from the router at \(endpoint) for \(heartbeat.silenceLimitMilliseconds) ms; reconnecting")
        socket.close()
        socket = try Self.connect(context: context, endpoint: endpoint, name: name)
        lastHeard = clock.now
        sendHello()
    }

    // MARK: Sending

    func sendHello() {
        send(WireMessage(requestID: name, body: .hello(hello)))
        lastHeartbeat = clock.now
    }

    /// Sends `message` to the router, waiting at most a silence limit for room in the
    /// queue (heartbeats go on meanwhile). A message that cannot be sent is logged and
    /// dropped: the router is gone, and will fail or resend the work it concerns.
    public func send(_ message: WireMessage) {
        do {
            try socket.sendPatiently(message, patienceMilliseconds: heartbeat.silenceLimitMilliseconds) { keepAlive() }
        } catch {
            logger.error("could not send \(message.body.fieldName) '\(message.requestID)' to the router: \(error)")
        }
    }

    /// Answers a request (or reports on a sequence) with an `Error` naming this process.
    public func send(_ error: WireError, requestID: String? = nil) {
        logger.notice("\(error.code) for '\(requestID ?? error.requestID ?? "unknown")': \(error.message)")
        send(error.reply(to: requestID, origin: name))
    }
}
