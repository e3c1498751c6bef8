import JanusTensor
import JanusWire
import Logging

/// The single-threaded poll loop every worker runs: read the router link (and judge the
/// router's liveness right after), answer malformed or expired requests with `Error`,
/// hand the rest to the service, read the service's own sockets, heartbeat, and let the
/// service do pending work; until shutdown is requested. When a turn finds nothing to
/// do, the activation buffers the tensor ops keep for reuse go back to the system
/// (`TensorMemory.releasePooledBuffers`): a busy worker reuses them from one image or
/// step to the next, an idle one holds none.
struct WorkerLoop {
    let service: any WorkerService

    /// Longest wait in one poll, so a shutdown request is seen promptly.
    static let maxPollMilliseconds = 100
    /// Messages taken off one socket per turn, so no socket starves the others.
    static let messagesPerTurn = 64

    func run(until stop: ShutdownFlag) throws {
        let settings = service.settings
        let logger = service.logger
        let context = try ZMQContext()
        let sockets = try service.openSockets(context)
        defer { service.closeSockets() }
        let link = try WorkerLink(context: context, endpoint: settings.routerEndpoint, hello: service.hello,
                                  heartbeat: settings.heartbeat, logger: logger)
        defer { link.close() }
        link.load = { [service] in service.load }
        logger.info("\(settings.role) \(settings.name) serving; router at \(settings.routerEndpoint)")

        var busy = false
        while !stop.isRequested {
            let wait = busy ? 0 : min(link.millisecondsUntilNextDuty, Self.maxPollMilliseconds)
            let ready = try ZMQSocket.poll([link.socket] + sockets, timeoutMilliseconds: wait) ?? []

            let fromRouter = try link.receiveWaiting(limit: Self.messagesPerTurn)
            try link.performDuties()
            for received in fromRouter { dispatchFromRouter(received, link: link) }

            for (index, socket) in sockets.enumerated() where ready.contains(index + 1) {
                var taken = 0
                while taken < Self.messagesPerTurn, let received = try socket.receive(timeoutMilliseconds: 0) {
                    taken += 1
                    service.handleDataMessage(received, socket: index, link: link)
                    link.keepAlive()
                }
            }
            busy = service.performPendingWork(link: link)
            link.keepAlive()
            if fromRouter.isEmpty && ready.isEmpty && !busy { TensorMemory.releasePooledBuffers() }
        }
        logger.info("\(settings.name) stopping")
    }

    private func dispatchFromRouter(_ received: Received, link: WorkerLink) {
        switch received.result {
        case .failure(let error):
            // The router sent something we cannot read: tell it, drop it, keep serving.
            link.send(error)
        case .success(let message):
            guard !link.handleControl(message) else { return }
            if message.body.startsWork && message.header.hasExpired {
                link.send(WireError(.deadlineExceeded, "the deadline passed before \(service.settings.name) "
                                        + "started on the \(message.body.fieldName)", requestID: message.requestID))
                return
            }
            service.handleRouterMessage(message, link: link)
        }
        link.keepAlive()
    }
}
