import Foundation
import JanusServe
import JanusWire
import Testing

/// Every stage of a test cluster running on threads of this process, registered with a
/// fake router.
final class RunningPipeline {
    let cluster: TestCluster
    let router: FakeRouter
    let workers: [BackgroundWorker]
    let hellos: [Hello]

    init(stages: Int, maxRows: Int = 64, heartbeatMilliseconds: Int = 100) throws {
        cluster = try TestCluster(stages: stages, heartbeatMilliseconds: heartbeatMilliseconds)
        let router = try FakeRouter(cluster: cluster)
        self.router = router
        let cluster = cluster
        workers = try (0..<stages).map { index in
            let name = "stage-\(index)"
            return BackgroundWorker(try StageService(settings: try cluster.settings(name, role: .stage), maxRows: maxRows,
                                                     logger: .worker(named: name, level: .warning)))
        }
        hellos = try (0..<stages).map { index in
            try #require(try router.waitForHello(from: "stage-\(index)"), "stage-\(index) never said hello")
        }
    }

    deinit { stop() }

    func stop() {
        for worker in workers { worker.stop() }
    }

    func submit(_ message: WireMessage) throws {
        try router.send(message, to: "stage-0")
    }

    /// Tells every stage to drop a sequence, as the router does when one ends.
    func release(_ sequenceID: String, reason: String = "finished") throws {
        for index in 0..<workers.count {
            try router.send(WireMessage(requestID: sequenceID,
                                        body: .release(ReleaseSequence(sequenceID: sequenceID, reason: reason))),
                            to: "stage-\(index)")
        }
    }

    /// The `SequenceEvent`s of `ids`, in arrival order, until each sequence finished (or
    /// failed, which is recorded as an issue); nil entries stay absent on timeout.
    func events(until ids: Set<String>, timeout: TimeInterval = 120) throws -> [String: [SequenceEvent]] {
        var events: [String: [SequenceEvent]] = [:]
        var open = ids
        let deadline = Date() + timeout
        while !open.isEmpty, Date() < deadline {
            guard let inbound = try router.next(timeout: deadline.timeIntervalSinceNow, where: { inbound in
                guard let id = inbound.requestID, open.contains(id) else { return false }
                return true
            }), let message = inbound.message else { break }
            switch message.body {
            case .sequenceEvent(let event):
                events[message.requestID, default: []].append(event)
                if event.tokens.finished { open.remove(message.requestID) }
            case .error(let error):
                Issue.record("sequence \(message.requestID) failed on \(inbound.from): \(error.code) \(error.message)")
                open.remove(message.requestID)
            default:
                Issue.record("unexpected \(message.body.fieldName) for \(message.requestID) from \(inbound.from)")
            }
        }
        #expect(open.isEmpty, "no end for \(open.sorted())")
        return events
    }

    /// Waits until every stage reported `load` in a heartbeat received after this call.
    func waitForLoad(_ load: UInt32, timeout: TimeInterval = 60) throws -> Bool {
        let seen = router.heartbeats.count
        var reported: Set<String> = []
        return try router.pump(timeout: timeout) {
            for beat in router.heartbeats.dropFirst(seen) where beat.heartbeat.load == load { reported.insert(beat.from) }
            return reported.count == workers.count
        }
    }
}
