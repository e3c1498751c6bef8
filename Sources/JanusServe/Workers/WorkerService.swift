import JanusWire
import Logging

/// What distinguishes the encoder, the decoder and a pipeline stage. The loop, the link
/// to the router, malformed-message replies, deadlines and shutdown are shared
/// (`WorkerLoop`); a service only handles well-formed messages.
///
/// A service is driven by one thread at a time, the one running `run(until:)`; it is
/// `Sendable` only so it can be handed to that thread.
public protocol WorkerService: AnyObject, Sendable {
    var settings: WorkerSettings { get }
    var logger: Logger { get }
    /// What `Hello` says about this worker (role, capacity, stage).
    var hello: Hello { get }
    /// Items in flight, for heartbeats.
    var load: Heartbeat { get }

    /// Binds or connects the sockets besides the router link (a stage's data sockets);
    /// called once, on the loop's thread, before the first message. Returns those to poll.
    func openSockets(_ context: ZMQContext) throws -> [ZMQSocket]
    /// A well-formed message from the router (not a heartbeat, hello or error), within
    /// its deadline.
    func handleRouterMessage(_ message: WireMessage, link: WorkerLink)
    /// A message taken off socket `index` of `openSockets` (possibly malformed: no
    /// sender to answer on these sockets, so the service decides whom to tell).
    func handleDataMessage(_ received: Received, socket index: Int, link: WorkerLink)
    /// Work that waits for no message (stage 0 runs its next step); returns true if there
    /// was any, so the loop looks for messages without waiting and comes back.
    func performPendingWork(link: WorkerLink) -> Bool
    /// Closes what `openSockets` opened.
    func closeSockets()
}

extension WorkerService {
    public func openSockets(_ context: ZMQContext) throws -> [ZMQSocket] { [] }
    public func handleDataMessage(_ received: Received, socket index: Int, link: WorkerLink) {}
    public func performPendingWork(link: WorkerLink) -> Bool { false }
    public func closeSockets() {}

    /// Serves until `stop` is requested: connects to the router and runs the loop on the
    /// calling thread. Throws only when a socket cannot be set up or fails for good.
    public func run(until stop: ShutdownFlag) throws {
        try WorkerLoop(service: self).run(until: stop)
    }

    /// The refusal of a body this worker does not serve.
    func unexpected(_ message: WireMessage) -> WireError {
        WireError(.invalidArgument, "\(settings.name) (\(settings.role)) does not take \(message.body.fieldName) messages",
                  requestID: message.requestID)
    }
}
