import Foundation
import JanusServe
import Testing

/// Regression: a worker's routing id is its process name, so a process the supervisor
/// restarts within the liveness window comes back on the *same* routing id while the
/// router still counts the old one alive. Its `Hello` must still count as a restart
/// (the old process's work is gone), or the requests it held wait out their deadline:
/// a decoder's images are never resent, a stage's sequences never fail.
@Suite struct WorkerReregistrationTests {
    func worker(_ name: String, _ role: WorkerRole, id: UInt8, seen: UInt64 = 0) -> Worker {
        Worker(name: name, role: role, node: "local", capacity: 2, routingID: Data([id]), lastSeenMilliseconds: seen)
    }

    @Test func helloFromAWorkerStillCountedAliveReportsItsLostWork() {
        var registry = WorkerRegistry(livenessMilliseconds: 3000)
        #expect(registry.register(worker("decoder-0", .decoder, id: 1)) == nil)
        registry.changeOutstanding("decoder-0", by: 2)
        // Restarted 0.7 s later, well within the 3 s liveness: same name, same routing id.
        let previous = registry.register(worker("decoder-0", .decoder, id: 1, seen: 700))
        #expect(previous?.outstanding == 2, "the old process's work must be reported lost")
        #expect(registry.workers["decoder-0"]?.outstanding == 0)
        #expect(registry.workers["decoder-0"]?.alive == true)
    }
}
