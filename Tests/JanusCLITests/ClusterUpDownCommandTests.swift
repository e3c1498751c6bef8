#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import JanusTestSupport
import Testing

/// `janus cluster up` and `down` end to end, with a stand-in for `janus serve` (a shell
/// script that says what it was asked to run and then sleeps), so no model is needed.
@Suite(.serialized) struct ClusterUpDownCommandTests {
    /// The fields of the supervisor's state file this test reads.
    struct State: Decodable {
        struct Identity: Decodable { let pid: Int32 }
        struct Entry: Decodable {
            let name: String
            let process: Identity?
        }
        let supervisor: Identity
        let processes: [Entry]
    }

    @Test func upRunsEveryLocalProcessAndDownStopsThemAll() async throws {
        let directory = try Fixtures.temporaryDirectory("janus-cluster-up")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("local.toml")
        try FileManager.default.copyItem(at: clusterFolder.appendingPathComponent("local.toml"), to: file)
        let fakeJanus = directory.appendingPathComponent("fake-janus")
        try "#!/bin/sh\necho \"fake-janus $*\"\nexec sleep 300\n".write(to: fakeJanus, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fakeJanus.path)
        let logs = directory.appendingPathComponent(".janus/logs")

        let up = Process()
        up.executableURL = JanusCLI.executable
        up.arguments = ["cluster", "up", file.path, "--executable", fakeJanus.path, "--model", "/models/tiny"]
        let upOutput = directory.appendingPathComponent("up.out")
        try #require(FileManager.default.createFile(atPath: upOutput.path, contents: nil))
        let outputHandle = try FileHandle(forWritingTo: upOutput)
        up.standardOutput = outputHandle
        up.standardError = outputHandle
        try up.run()
        defer { if up.isRunning { kill(up.processIdentifier, SIGKILL) } }

        let roles = ["router": "router", "encoder-0": "encoder", "stage-0": "stage", "stage-1": "stage",
                     "decoder-0": "decoder", "decoder-1": "decoder"]
        let started = await poll {
            roles.allSatisfy { name, role in
                text(logs.appendingPathComponent("\(name).log")).contains(
                    "fake-janus serve \(role) --cluster \(file.path) --name \(name) --model /models/tiny")
            }
        }
        try #require(started, "up output: \(text(upOutput))")
        #expect(text(upOutput).contains("janus: logs in \(logs.path)/<name>.log"))

        let stateFile = logs.appendingPathComponent("supervisor-local.json")
        let state = try JSONDecoder().decode(State.self, from: Data(contentsOf: stateFile))
        #expect(state.supervisor.pid == up.processIdentifier)
        let pids = state.processes.compactMap(\.process?.pid)
        #expect(Set(state.processes.map(\.name)) == Set(roles.keys))
        #expect(pids.count == 6 && pids.allSatisfy(isRunning))

        let second = try JanusCLI.run(["cluster", "up", file.path, "--executable", fakeJanus.path])
        #expect(second.status != 0)
        #expect(second.stderr.contains("\(file.path) is already running here (supervisor pid \(up.processIdentifier))"))

        let down = try JanusCLI.run(["cluster", "down", file.path])
        #expect(down.status == 0, "\(down.stderr)")
        #expect(down.stdout == "stopped node local: supervisor pid \(up.processIdentifier) and its 6 processes\n")
        #expect(await poll { !up.isRunning })
        #expect(up.terminationStatus == 0)
        #expect(pids.allSatisfy { !isRunning($0) })
        #expect(!FileManager.default.fileExists(atPath: stateFile.path))
        #expect(text(logs.appendingPathComponent("stage-1.log")).contains("[supervisor] stopping: SIGTERM"))

        let again = try JanusCLI.run(["cluster", "down", file.path])
        #expect(again.status == 0)
        #expect(again.stderr.contains("nothing to stop: no `janus cluster up` of \(file.path) is running here"))
    }

    @Test func upNeedsANodeOfThisMachine() throws {
        let file = clusterFolder.appendingPathComponent("multi-node.toml").path
        let result = try JanusCLI.run(["cluster", "up", file])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no node of \(file) is this machine"))
        #expect(result.stderr.contains("Choose one with --node NAME"))
        let missing = try JanusCLI.run(["cluster", "up", file, "--node", "gpu-a", "--executable", "/nonexistent/janus"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("--executable /nonexistent/janus: not an executable file"))
        let unknown = try JanusCLI.run(["cluster", "up", file, "--node", "gpu-z"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("no node \"gpu-z\" in the cluster file (nodes: gateway, gpu-a, gpu-b)"))
    }

    /// Generous timeout: the condition is met in well under a second on an idle machine.
    private func poll(timeout: Duration = .seconds(60), _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    private func text(_ url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }

    /// Alive and not a zombie.
    private func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].drop { $0 == " " }.first != "Z"
    }
}
