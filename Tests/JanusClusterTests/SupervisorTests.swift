import Foundation
import Testing
@testable import JanusCluster

@Suite(.serialized) struct SupervisorTests {
    @Test func outputAndSupervisorNotesGoToTheProcessLog() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let supervisor = try makeSupervisor([shell("talker", "echo to-stdout; echo to-stderr >&2; exec sleep 60")],
                                            in: directory)
        try await supervisor.start()
        let log = supervisor.logFile(for: "talker")
        #expect(log == directory.appendingPathComponent("talker.log"))
        // Whole lines: the supervisor's own "started" note quotes the command.
        #expect(await eventually { readLines(log).contains("to-stdout") && readLines(log).contains("to-stderr") })
        await supervisor.stop()
        let text = readText(log)
        #expect(text.contains("[supervisor] started pid "))
        #expect(text.contains("/bin/sh -c echo to-stdout"))
        #expect(text.contains("[supervisor] stopping: SIGTERM"))
        #expect(text.contains("ended with signal 15 (SIGTERM)"))
    }

    @Test func logsAreAppendedAcrossRuns() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for run in 1...2 {
            let supervisor = try makeSupervisor([shell("once", "echo run-\(run)")], in: directory)
            try await supervisor.start()
            await supervisor.waitUntilIdle()
        }
        let text = readText(directory.appendingPathComponent("once.log"))
        #expect(text.contains("run-1") && text.contains("run-2"))
    }

    @Test func crashingProcessIsRestarted() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let counter = directory.appendingPathComponent("starts.txt")
        let supervisor = try makeSupervisor([
            shell("crasher", "echo start >> '\(counter.path)'; exit 3"),
            shell("steady", "exec sleep 60"),
        ], in: directory)
        try await supervisor.start()
        #expect(await eventually { readLines(counter).count >= 4 })
        await supervisor.stop()
        let crasher = try #require(await supervisor.statuses.first { $0.name == "crasher" })
        let steady = try #require(await supervisor.statuses.first { $0.name == "steady" })
        #expect(crasher.starts >= 4)
        // A start that stop() caught before the script wrote its line is the only difference.
        let recorded = readLines(counter).count
        #expect(crasher.starts == recorded || crasher.starts == recorded + 1)
        #expect(steady.starts == 1, "a crash elsewhere must not touch the other processes")
        let log = readText(directory.appendingPathComponent("crasher.log"))
        #expect(log.contains("ended with exit status 3"))
        #expect(log.contains("restarting in 0.1 s"))
    }

    @Test func restartDelaysGrowUpToTheCap() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let supervisor = try makeSupervisor([shell("crasher", "exit 1")], in: directory)
        try await supervisor.start()
        #expect(await eventually { await restartDelays(supervisor).count >= 6 })
        await supervisor.stop()
        let delays = await restartDelays(supervisor)
        #expect(Array(delays.prefix(6)) == [.milliseconds(50), .milliseconds(100), .milliseconds(200),
                                            .milliseconds(400), .milliseconds(400), .milliseconds(400)])
    }

    @Test func aProcessThatRanStablyRestartsQuicklyAgain() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = quickConfiguration
        configuration.backoff.stablePeriod = .milliseconds(100)
        // Runs for 0.3 s (longer than the stable period) and then fails, every time.
        let supervisor = try makeSupervisor([shell("flaky", "sleep 0.3; exit 1")], in: directory,
                                            configuration: configuration)
        try await supervisor.start()
        #expect(await eventually { await restartDelays(supervisor).count >= 3 })
        await supervisor.stop()
        #expect(await restartDelays(supervisor).allSatisfy { $0 == .milliseconds(50) })
    }

    @Test func stopEndsEveryProcessAndWhatItSpawned() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let grandchild = directory.appendingPathComponent("grandchild.pid")
        var configuration = quickConfiguration
        configuration.stopGracePeriod = .seconds(1)
        let supervisor = try makeSupervisor([
            shell("parent", "sleep 300 & echo $! > '\(grandchild.path)'; wait"),
            shell("stubborn", "trap '' TERM; while :; do sleep 0.1; done"),
            shell("plain", "exec sleep 300"),
        ], in: directory, configuration: configuration)
        try await supervisor.start()
        #expect(await eventually { !readLines(grandchild).isEmpty })
        let pids = await supervisor.statuses.compactMap(\.pid) + readLines(grandchild).compactMap { Int32($0) }
        #expect(pids.count == 4)
        #expect(pids.allSatisfy(isAlive))

        await supervisor.stop()
        #expect(await eventually { pids.allSatisfy { !isAlive($0) } }, "left running: \(pids.filter(isAlive))")
        #expect(await supervisor.statuses.allSatisfy { $0.state == .stopped })
        #expect(await supervisor.events.contains { $0 == .killed(name: "stubborn", pid: pids[1]) })
        #expect(readText(directory.appendingPathComponent("stubborn.log")).contains("SIGKILL to process group"))
    }

    @Test func stopRightAfterStartStillEndsProcessesWithSIGTERM() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = quickConfiguration
        configuration.stopGracePeriod = .seconds(20)
        for _ in 1...10 {
            let supervisor = try makeSupervisor([shell("quick", "exec sleep 60")], in: directory, configuration: configuration)
            try await supervisor.start()
            await supervisor.stop()
            let events = await supervisor.events
            #expect(!events.contains { if case .killed = $0 { true } else { false } }, "SIGTERM was lost: \(events)")
            #expect(events.contains { if case .exited(_, _, .signalled(15)) = $0 { true } else { false } })
        }
    }

    @Test func stopCancelsPendingRestarts() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = quickConfiguration
        configuration.backoff = RestartBackoff(initialDelay: .seconds(60), maximumDelay: .seconds(60))
        let supervisor = try makeSupervisor([shell("crasher", "exit 1")], in: directory, configuration: configuration)
        try await supervisor.start()
        #expect(await eventually { await supervisor.statuses.first?.state == .restarting })
        await supervisor.stop()
        await supervisor.waitUntilIdle()
        #expect(await supervisor.statuses.first?.state == .stopped)
        #expect(await supervisor.statuses.first?.starts == 1)
    }

    @Test func cleanExitIsFinalUnderOnFailure() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let supervisor = try makeSupervisor([shell("done", "exit 0")], in: directory)
        try await supervisor.start()
        await supervisor.waitUntilIdle()
        let status = try #require(await supervisor.statuses.first)
        #expect(status.state == .exited)
        #expect(status.starts == 1)
        #expect(await supervisor.events.last == .exited(name: "done", pid: status.pid ?? 0, status: .exited(code: 0)))
    }

    @Test func environmentIsPassedThrough() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = ProcessSpec(name: "env", executable: "/bin/sh", arguments: ["-c", "echo value=$JANUS_TEST_VALUE"],
                               environment: ["JANUS_TEST_VALUE": "42", "PATH": "/usr/bin:/bin"])
        let supervisor = try makeSupervisor([spec], in: directory)
        try await supervisor.start()
        await supervisor.waitUntilIdle()
        #expect(readText(directory.appendingPathComponent("env.log")).contains("value=42"))
    }

    @Test func missingExecutableFailsTheStartAndStopsTheOthers() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let supervisor = try makeSupervisor([
            shell("first", "exec sleep 300"),
            ProcessSpec(name: "ghost", executable: "/nonexistent/janus", arguments: []),
        ], in: directory)
        await #expect(throws: SupervisorError.self) { try await supervisor.start() }
        let first = try #require(await supervisor.statuses.first)
        #expect(first.state == .stopped)
        #expect(await eventually { !isAlive(first.pid ?? 0) })
        #expect(readText(directory.appendingPathComponent("ghost.log")).contains("cannot start: /nonexistent/janus"))
    }

    @Test func duplicateNamesAreRejected() throws {
        #expect(throws: SupervisorError.duplicateName("twin")) {
            try Supervisor(processes: [shell("twin", "true"), shell("twin", "true")], logDirectory: "/tmp")
        }
    }

    private func restartDelays(_ supervisor: Supervisor) async -> [Duration] {
        await supervisor.events.compactMap { event in
            if case .restartScheduled(_, let delay) = event { delay } else { nil }
        }
    }
}
