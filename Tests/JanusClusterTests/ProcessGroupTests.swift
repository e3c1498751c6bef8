import Foundation
import Testing
@testable import JanusCluster

@Suite struct ProcessGroupTests {
    /// A group whose leader's pid now belongs to another process (another start time) is
    /// empty: it must not count as alive, and its signals must not reach the newcomer.
    @Test func aReusedLeaderPidIsNotTheGroup() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["infinity"]  // never ends on its own, however late this test resumes
        try SignalMask.withNothingBlocked { try process.run() }
        defer { process.terminate(); process.waitUntilExit() }
        let group = ProcessGroup.establish(process.processIdentifier)
        let started = try #require(group.leader.startTime)

        let stale = ProcessGroup(leader: ProcessIdentity(pid: process.processIdentifier, startTime: started - 1))
        #expect(!stale.isAlive)
        stale.signal(SIGKILL)
        try await Task.sleep(for: .milliseconds(100))
        #expect(process.isRunning, "a signal to a finished group reached the process that took its pid")

        #expect(group.isAlive)
        group.signal(SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        #expect(!group.isAlive)
    }
}
