import Foundation
import JanusTestSupport
import Testing

@Suite struct ClusterRenderCommandTests {
    private static let file = """
        name = "demo"
        split = "even"

        [[nodes]]
        name = "front"
        host = "10.1.0.1"

        [[nodes]]
        name = "back"
        host = "10.1.0.2"

        [router]
        node = "front"
        client_endpoint = "tcp://10.1.0.1:57100"
        backend_endpoint = "tcp://10.1.0.1:57101"

        [[encoders]]
        node = "front"

        [[stages]]
        node = "back"
        data_endpoint = "tcp://10.1.0.2:57110"

        [[decoders]]
        node = "back"
        replicas = 2
        """

    private static let backUnits = """
        # janus-demo-stage-0.service
        [Unit]
        Description=Janus stage stage-0 (cluster demo, node back)
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=simple
        User=janus
        ExecStart=/opt/janus/bin/janus serve stage --cluster /etc/janus/demo.toml --name stage-0 --model /srv/models/Janus-Pro-1B
        Restart=on-failure
        RestartSec=1
        TimeoutStopSec=30

        [Install]
        WantedBy=multi-user.target

        # janus-demo-decoder-0.service
        [Unit]
        Description=Janus decoder decoder-0 (cluster demo, node back)
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=simple
        User=janus
        ExecStart=/opt/janus/bin/janus serve decoder --cluster /etc/janus/demo.toml --name decoder-0 --model /srv/models/Janus-Pro-1B
        Restart=on-failure
        RestartSec=1
        TimeoutStopSec=30

        [Install]
        WantedBy=multi-user.target

        # janus-demo-decoder-1.service
        [Unit]
        Description=Janus decoder decoder-1 (cluster demo, node back)
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=simple
        User=janus
        ExecStart=/opt/janus/bin/janus serve decoder --cluster /etc/janus/demo.toml --name decoder-1 --model /srv/models/Janus-Pro-1B
        Restart=on-failure
        RestartSec=1
        TimeoutStopSec=30

        [Install]
        WantedBy=multi-user.target

        """

    private func withClusterFile(_ body: (URL) throws -> Void) throws {
        let directory = try Fixtures.temporaryDirectory("janus-cluster-render")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("demo.toml")
        try Self.file.write(to: file, atomically: true, encoding: .utf8)
        try body(file)
    }

    private let deployment = ["--node", "back", "--executable", "/opt/janus/bin/janus", "--model", "/srv/models/Janus-Pro-1B",
                              "--user", "janus", "--cluster-path", "/etc/janus/demo.toml"]

    @Test func printsOneUnitPerProcessOfTheNode() throws {
        try withClusterFile { file in
            let result = try JanusCLI.run(["cluster", "render", file.path] + deployment)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == Self.backUnits)
        }
    }

    @Test func writesUnitFilesIntoADirectory() throws {
        try withClusterFile { file in
            let output = file.deletingLastPathComponent().appendingPathComponent("units")
            let result = try JanusCLI.run(["cluster", "render", file.path, "--output-directory", output.path] + deployment)
            #expect(result.status == 0, "\(result.stderr)")
            let names = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
            #expect(names == ["janus-demo-decoder-0.service", "janus-demo-decoder-1.service", "janus-demo-stage-0.service"])
            let written = ["janus-demo-stage-0.service", "janus-demo-decoder-0.service", "janus-demo-decoder-1.service"]
            #expect(result.stdout == written.map { output.appendingPathComponent($0).path + "\n" }.joined())
            let stage = try String(contentsOf: output.appendingPathComponent("janus-demo-stage-0.service"), encoding: .utf8)
            #expect(Self.backUnits.hasPrefix("# janus-demo-stage-0.service\n" + stage))
        }
    }

    @Test func defaultsAreThisBinaryAndTheFilesAbsolutePath() throws {
        try withClusterFile { file in
            let result = try JanusCLI.run(["cluster", "render", file.path, "--node", "front"])
            #expect(result.status == 0, "\(result.stderr)")
            let execStarts = result.stdout.split(separator: "\n").filter { $0.hasPrefix("ExecStart=") }
            #expect(execStarts == [
                "ExecStart=\(JanusCLI.executable.path) serve router --cluster \(file.path) --name router",
                "ExecStart=\(JanusCLI.executable.path) serve encoder --cluster \(file.path) --name encoder-0",
            ])
            #expect(!result.stdout.contains("User="))
        }
    }

    @Test func unknownNodeAndRelativeClusterPathAreRejected() throws {
        try withClusterFile { file in
            let unknown = try JanusCLI.run(["cluster", "render", file.path, "--node", "middle"])
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("no node \"middle\" in the cluster file (nodes: front, back)"))
            let relative = try JanusCLI.run(["cluster", "render", file.path, "--node", "back", "--cluster-path", "demo.toml"])
            #expect(relative.status != 0)
            #expect(relative.stderr.contains("--cluster-path must be absolute"))
            let missing = try JanusCLI.run(["cluster", "render", file.path])
            #expect(missing.status != 0)
            #expect(missing.stderr.contains("--node"))
        }
    }
}
