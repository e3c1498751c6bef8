import Foundation
import JanusCluster
import JanusTensor
import JanusWire
import Logging

/// The client-facing process: takes generation and understanding requests, runs them
/// through encoders, the pipeline and decoders, and streams results back.
///
/// Single-threaded: one poll loop over the client and backend sockets, with a tick for
/// heartbeats, liveness, deadlines and admission. It may be created on one thread and run
/// on another (hence `@unchecked Sendable`), but only one thread ever uses it at a time.
public final class RouterServer: @unchecked Sendable {
    let name: String
    let model: RouterModel
    let policy: RouterPolicy
    let logger: Logger
    let clients: ZMQSocket
    let backend: ZMQSocket
    var registry: WorkerRegistry
    var admission: AdmissionControl
    var jobs: [String: RouterJob] = [:]
    var stats: [RequestClass: LatencyStats] = [.generate: LatencyStats(), .understand: LatencyStats()]
    private var lastHeartbeat: UInt64 = 0

    public init(spec: ClusterSpec, model: RouterModel, context: ZMQContext, logger: Logger) throws {
        name = spec.router.name
        self.model = model
        policy = spec.policy
        self.logger = logger
        registry = WorkerRegistry(livenessMilliseconds: UInt64(policy.peerTimeoutMilliseconds))
        admission = AdmissionControl(policy: AdmissionPolicy(
            understandingShare: policy.understandingShare,
            maxConcurrentGenerations: policy.maxConcurrentGenerations,
            maxQueuedGeneration: policy.maxQueuedGeneration,
            maxQueuedUnderstanding: policy.maxQueuedUnderstanding))
        clients = try context.socket(.router, options: [.routerMandatory(true)])
        backend = try context.socket(.router, options: [.routerMandatory(true), .routerHandover(true)])
        _ = try clients.bind(spec.router.clientEndpoint.bindAddress)
        _ = try backend.bind(spec.router.backendEndpoint.bindAddress)
        logger.info("router listening: clients \(spec.router.clientEndpoint), workers \(spec.router.backendEndpoint)")
    }

    /// Serves until `shouldStop` returns true.
    public func run(until shouldStop: () -> Bool) {
        while !shouldStop() {
            let interval = max(policy.heartbeatIntervalMilliseconds / 4, 10)
            do {
                if let ready = try ZMQSocket.poll([clients, backend], timeoutMilliseconds: interval) {
                    if ready.contains(0) { drain(clients, handle: handleClient) }
                    if ready.contains(1) { drain(backend, handle: handleWorker) }
                }
            } catch {
                // EINTR when a signal arrives: the loop re-checks `shouldStop`.
                logger.debug("poll: \(error)")
            }
            tick(now: Self.now())
        }
        clients.close()
        backend.close()
    }

    /// Handles every message waiting on `socket` (bounded, so one busy side cannot
    /// starve the other).
    private func drain(_ socket: ZMQSocket, handle: (Data, WireMessage) -> Void) {
        for _ in 0..<256 {
            let received: Received?
            do {
                received = try socket.receive(timeoutMilliseconds: 0)
            } catch {
                logger.error("receive failed: \(error)")
                return
            }
            guard let received, let peer = received.routingID else { return }
            switch received.result {
            case .success(let message): handle(peer, message)
            case .failure(let error):
                logger.warning("bad message from \(Self.describe(peer)): \(error)")
                if let reply = received.errorReply(origin: name) { send(reply, to: peer, on: socket) }
            }
        }
    }

    // MARK: Sending

    func send(_ message: WireMessage, to peer: Data, on socket: ZMQSocket) {
        do {
            try socket.send(message, to: peer)
        } catch {
            logger.warning("could not send \(message.header.body.fieldName) to \(Self.describe(peer)): \(error)")
        }
    }

    func reply(_ job: RouterJob, _ body: WireBody, tensors: KeyValuePairs<String, Tensor> = [:]) {
        send(WireMessage(requestID: job.id, body: body, tensors: tensors), to: job.client, on: clients)
    }

    func sendToWorker(_ workerName: String, requestID: String, deadline: UInt64 = 0, _ body: WireBody,
                      tensors: KeyValuePairs<String, Tensor> = [:]) {
        guard let worker = registry.workers[workerName] else { return }
        send(WireMessage(requestID: requestID, deadlineMilliseconds: deadline, body: body, tensors: tensors),
             to: worker.routingID, on: backend)
    }

    func replyError(to peer: Data, on socket: ZMQSocket, requestID: String, _ code: ErrorCode, _ message: String) {
        send(WireError(code, message, requestID: requestID).reply(origin: name), to: peer, on: socket)
    }

    // MARK: Time

    static func now() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1000) }

    static func describe(_ routingID: Data) -> String {
        String(data: routingID, encoding: .utf8).flatMap { $0.allSatisfy(\.isASCII) ? $0 : nil }
            ?? routingID.map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Periodic work

    private func tick(now: UInt64) {
        if now >= lastHeartbeat + UInt64(policy.heartbeatIntervalMilliseconds) {
            lastHeartbeat = now
            for worker in registry.workers.values where worker.alive {
                send(WireMessage(requestID: "heartbeat", body: .heartbeat(Heartbeat(load: UInt32(jobs.count)))),
                     to: worker.routingID, on: backend)
            }
        }
        for worker in registry.expire(now: now) { workerLost(worker, reason: "stopped answering heartbeats") }
        for job in jobs.values where now > job.deadlineMilliseconds {
            fail(job, .deadlineExceeded, "deadline passed while \(job.phase.rawValue)")
        }
        dispatchUnassigned()
        admitQueued()
    }
}

extension RouterServer {
    /// `janus serve router`: reads its settings from the cluster file, serves until
    /// `shouldStop` says so.
    public static func serve(spec: ClusterSpec, modelDirectory: String, logger: Logger,
                             shouldStop: () -> Bool) throws {
        let context = try ZMQContext()
        let server = try RouterServer(spec: spec, model: try RouterModel(directory: modelDirectory),
                                      context: context, logger: logger)
        server.run(until: shouldStop)
    }
}
