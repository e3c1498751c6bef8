import Testing
@testable import JanusCluster

@Suite struct RestartBackoffTests {
    @Test func delaysDoubleFromHalfASecondToTenSeconds() {
        let backoff = RestartBackoff()
        let delays = (1...8).map { backoff.delay(afterConsecutiveFailures: $0) }
        #expect(delays == [.milliseconds(500), .seconds(1), .seconds(2), .seconds(4), .seconds(8),
                           .seconds(10), .seconds(10), .seconds(10)])
        #expect(backoff.delay(afterConsecutiveFailures: 100_000) == .seconds(10))
    }

    @Test func aStableRunResetsTheFailureCount() {
        let backoff = RestartBackoff(stablePeriod: .seconds(30))
        #expect(backoff.failures(after: .seconds(2), previous: 4) == 5)
        #expect(backoff.failures(after: .seconds(31), previous: 4) == 1)
    }

    @Test func restartPolicies() {
        #expect(RestartPolicy.onFailure.shouldRestart(after: .exited(code: 1)))
        #expect(RestartPolicy.onFailure.shouldRestart(after: .signalled(9)))
        #expect(!RestartPolicy.onFailure.shouldRestart(after: .exited(code: 0)))
        #expect(RestartPolicy.always.shouldRestart(after: .exited(code: 0)))
        #expect(!RestartPolicy.never.shouldRestart(after: .signalled(11)))
    }
}
