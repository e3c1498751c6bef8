import Foundation
import JanusTestSupport
import Testing

/// The repository's `cluster/` folder, found from this file's path.
let clusterFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("cluster")

@Suite struct ClusterCheckCommandTests {
    @Test func shippedLocalFileIsValidAndDescribed() throws {
        let file = clusterFolder.appendingPathComponent("local.toml").path
        let result = try JanusCLI.run(["cluster", "check", file])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "\(file): valid")
        #expect(lines.contains("cluster   local"))
        #expect(lines.contains("log dir   \(clusterFolder.appendingPathComponent(".janus/logs").path)"))
        #expect(lines.contains("layers    split evenly over 2 stages when they start (--layers N shows the ranges)"))
        #expect(lines.contains("node local (127.0.0.1)"))
        #expect(lines.contains("  router     router   client_endpoint tcp://127.0.0.1:57100  backend_endpoint tcp://127.0.0.1:57101"))
        #expect(lines.contains("  decoder-1  decoder"))
    }

    @Test func layerCountResolvesTheEvenSplit() throws {
        let result = try JanusCLI.run(["cluster", "check", clusterFolder.appendingPathComponent("local.toml").path, "--layers", "24"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("layers    24 layers over 2 stages"))
        #expect(result.stdout.contains("  stage-0    stage    layers [0, 12)  data_endpoint tcp://127.0.0.1:57110"))
        #expect(result.stdout.contains("  stage-1    stage    layers [12, 24)  data_endpoint tcp://127.0.0.1:57111"))
    }

    @Test func multiNodeFileShowsEachNode() throws {
        let result = try JanusCLI.run(["cluster", "check", clusterFolder.appendingPathComponent("multi-node.toml").path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("node gpu-b (10.20.0.22)\n  stage-1    stage    layers [15, 30)  data_endpoint tcp://10.20.0.22:57110\n  decoder-b  decoder"))
    }

    @Test func tooFewLayersForTheStagesIsAnError() throws {
        let file = clusterFolder.appendingPathComponent("local.toml").path
        let result = try JanusCLI.run(["cluster", "check", file, "--layers", "1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("\(file): split: cannot split 1 layers evenly over 2 stages"))
    }

    @Test func invalidFileListsEveryProblemWithItsLine() throws {
        let directory = try Fixtures.temporaryDirectory("janus-cluster-check")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("bad.toml")
        try """
            [[nodes]]
            name = "local"
            host = "127.0.0.1"

            [router]
            client_endpoint = "tcp://127.0.0.1:5555"
            backend_endpoint = "tcp://127.0.0.1:5555"

            [[encoders]]
            replica = 2

            [[stages]]
            data_endpoint = "tcp://127.0.0.1:5560"
            layers = [0, 2]

            [[stages]]
            data_endpoint = "tcp://127.0.0.1:5561"
            layers = [2, 1]

            [[decoders]]
            """.write(to: file, atomically: true, encoding: .utf8)
        let result = try JanusCLI.run(["cluster", "check", file.path])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("\(file.path):7: endpoint tcp://127.0.0.1:5555 used by both router.client_endpoint and router.backend_endpoint"))
        #expect(result.stderr.contains("\(file.path):10: encoders[0].replica: unknown key (did you mean replicas?)"))
        #expect(result.stderr.contains("\(file.path):18: stages[1].layers: [2, 1] is empty"))
    }

    @Test func missingFileIsAClearError() throws {
        let result = try JanusCLI.run(["cluster", "check", "/nonexistent/cluster.toml"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/cluster.toml: no such file"))
    }
}
