import JanusServe
import JanusWire
import Logging

/// A worker without a model, for the link's own tests: it answers every request with an
/// `Ack` and reports a fixed load.
final class IdleService: WorkerService, @unchecked Sendable {
    let settings: WorkerSettings
    let logger = Logger.worker(named: "idle", level: .warning)

    init(settings: WorkerSettings) { self.settings = settings }

    var hello: Hello { Hello(role: .encoder, name: settings.name, node: settings.node, capacity: 3) }
    var load: Heartbeat { Heartbeat(load: 7) }

    func handleRouterMessage(_ message: WireMessage, link: WorkerLink) {
        link.send(WireMessage(requestID: message.requestID, body: .ack(Ack())))
    }
}
