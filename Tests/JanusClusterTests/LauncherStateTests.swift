import Foundation
import Testing
@testable import JanusCluster

@Suite struct ProcessIdentityTests {
    @Test func aLiveProcessIsRecognisedByPidAndStartTime() throws {
        let me = ProcessIdentity.current
        #expect(me.pid == getpid())
        #expect(me.startTime != nil)
        #expect(me.isRunning)
        let impostor = ProcessIdentity(pid: me.pid, startTime: (me.startTime ?? 0) + 1)
        #expect(!impostor.isRunning, "a reused pid has another start time")
    }

    @Test func aFinishedProcessIsNotRunning() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // Never ends on its own: on a loaded machine this test may resume long after it
        // started the child (a 30 s sleep once ended before the check below ran).
        process.arguments = ["-c", "exec sleep infinity"]
        try SignalMask.withNothingBlocked { try process.run() }
        // Identity survives exec: taken while sh becomes sleep, it still matches.
        let identity = try #require(ProcessIdentity.of(pid: process.processIdentifier))
        #expect(await eventually { readText(URL(fileURLWithPath: "/proc/\(identity.pid)/cmdline")).hasPrefix("sleep") })
        #expect(identity.isRunning)
        process.terminate()
        process.waitUntilExit()
        #expect(!identity.isRunning)
        #expect(ProcessIdentity.of(pid: process.processIdentifier) == nil)
    }
}

@Suite struct SupervisorStateFileTests {
    @Test func writesReadsListsAndRemoves() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = SupervisorStateFile(logDirectory: directory.path, node: "gpu-a")
        #expect(file.url.lastPathComponent == "supervisor-gpu-a.json")
        #expect(file.read() == nil)
        let state = SupervisorState(
            supervisor: ProcessIdentity(pid: 42, startTime: 1_000), clusterFile: "/c.toml", nodes: ["gpu-a"],
            processes: [.init(name: "stage-0", process: ProcessIdentity(pid: 43, startTime: 1_001), commandLine: ["janus", "serve"]),
                        .init(name: "stage-1", process: nil, commandLine: ["janus", "serve"])])
        try file.write(state)
        #expect(file.read() == state)
        #expect(SupervisorStateFile.all(in: directory.path) == [file])
        file.remove()
        #expect(SupervisorStateFile.all(in: directory.path).isEmpty)
    }
}

@Suite(.serialized) struct ClusterShutdownTests {
    @Test func nothingRunningIsReportedAsSuch() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = try ClusterText.parse(ClusterText.minimal, path: directory.appendingPathComponent("c.toml").path)
        let report = await ClusterShutdown.stop(spec: spec)
        #expect(!report.foundAny)
    }

    @Test func processesOfADeadSupervisorAreStopped() async throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let spec = try ClusterText.parse("log_dir = \"logs\"\n" + ClusterText.minimal,
                                         path: directory.appendingPathComponent("c.toml").path)
        try FileManager.default.createDirectory(atPath: spec.logDirectory, withIntermediateDirectories: true)
        // An orphan: started here, recorded by a "supervisor" whose pid is no longer a supervisor.
        let orphan = Process()
        orphan.executableURL = URL(fileURLWithPath: "/bin/sleep")
        orphan.arguments = ["300"]
        try SignalMask.withNothingBlocked { try orphan.run() }
        defer { if orphan.isRunning { orphan.terminate() } }
        let orphanIdentity = try #require(ProcessIdentity.of(pid: orphan.processIdentifier))
        let deadSupervisor = ProcessIdentity(pid: orphan.processIdentifier, startTime: (orphanIdentity.startTime ?? 0) + 1)
        let state = SupervisorState(supervisor: deadSupervisor, clusterFile: spec.path, nodes: ["local"],
                                    processes: [.init(name: "stage-0", process: orphanIdentity,
                                                      commandLine: ["/bin/sleep", "300"])])
        let file = SupervisorStateFile(logDirectory: spec.logDirectory, node: "local")
        try file.write(state)

        let report = await ClusterShutdown.stop(spec: spec)
        #expect(report.lines == ["node local: supervisor pid \(deadSupervisor.pid) was no longer running; stopped what it left: stage-0"])
        #expect(await eventually { !orphan.isRunning })
        #expect(file.read() == nil)
    }
}

@Suite struct LocalHostTests {
    @Test func loopbackNamesAndAddressesAreLocal() {
        let host = LocalHost(identities: ["gpu-a", "gpu-a.example.net", "10.20.0.21"])
        #expect(host.isLocal(host: "127.0.0.1"))
        #expect(host.isLocal(host: "127.0.1.5"))
        #expect(host.isLocal(host: "GPU-A"))
        #expect(host.isLocal(host: "10.20.0.21"))
        #expect(!host.isLocal(host: "10.20.0.22"))
        #expect(!host.isLocal(host: "gpu-b"))
    }

    @Test func pickingTheLocalNodesOfAFile() throws {
        let spec = try ClusterSpec.load(path: Repository.path("cluster/multi-node.toml"))
        #expect(LocalHost(identities: ["10.20.0.22"]).localNodes(of: spec).map(\.name) == ["gpu-b"])
        #expect(LocalHost(identities: []).localNodes(of: spec).isEmpty)
        let local = try ClusterSpec.load(path: Repository.path("cluster/local.toml"))
        #expect(LocalHost.current().localNodes(of: local).map(\.name) == ["local"])
        #expect(LocalHost.current().isLocal(host: ProcessInfo.processInfo.hostName))
    }
}
