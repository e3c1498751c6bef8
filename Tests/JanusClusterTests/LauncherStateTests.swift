import Foundation
import Testing
@testable import JanusCluster

@Suite struct ProcessIdentityTests {
    @Test func recordedCommandMustStillMatch() {
        let recorded = ["/usr/bin/janus", "serve", "stage", "--name", "stage-0"]
        #expect(ProcessIdentity.matches(recorded, recorded: recorded))
        // A script started through its #! line runs as `interpreter script args…`.
        #expect(ProcessIdentity.matches(["/bin/sh", "/opt/fake/janus", "serve", "stage", "--name", "stage-0"],
                                        recorded: ["/opt/fake/janus", "serve", "stage", "--name", "stage-0"]))
        #expect(!ProcessIdentity.matches(["/usr/bin/janus", "serve", "stage", "--name", "stage-1"], recorded: recorded))
        #expect(!ProcessIdentity.matches(["/usr/bin/python3", "serve", "stage", "--name", "stage-0"], recorded: recorded))
        #expect(!ProcessIdentity.matches([], recorded: recorded))
    }

    @Test func thisProcessIsRecognisedAndADeadPidIsNot() throws {
        #expect(ProcessIdentity.isRunning(pid: getpid(), commandLine: CommandLine.arguments))
        #expect(!ProcessIdentity.isRunning(pid: getpid(), commandLine: ["/bin/other-program", "x"]))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        #expect(!ProcessIdentity.isRunning(pid: process.processIdentifier, commandLine: ["/bin/true"]))
    }
}

@Suite struct SupervisorStateFileTests {
    @Test func writesReadsListsAndRemoves() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = SupervisorStateFile(logDirectory: directory.path, node: "gpu-a")
        #expect(file.url.lastPathComponent == "supervisor-gpu-a.json")
        #expect(file.read() == nil)
        let state = SupervisorState(pid: 42, commandLine: ["janus", "cluster", "up", "c.toml"], clusterFile: "/c.toml",
                                    nodes: ["gpu-a"], processes: [.init(name: "stage-0", pid: 43, commandLine: ["janus", "serve"])])
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
        try orphan.run()
        defer { if orphan.isRunning { orphan.terminate() } }
        let state = SupervisorState(pid: orphan.processIdentifier, commandLine: ["janus", "cluster", "up"],
                                    clusterFile: spec.path, nodes: ["local"],
                                    processes: [.init(name: "stage-0", pid: orphan.processIdentifier,
                                                      commandLine: ["/bin/sleep", "300"])])
        let file = SupervisorStateFile(logDirectory: spec.logDirectory, node: "local")
        try file.write(state)

        let report = await ClusterShutdown.stop(spec: spec)
        #expect(report.lines == ["node local: supervisor pid \(orphan.processIdentifier) was no longer running; stopped what it left: stage-0"])
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
