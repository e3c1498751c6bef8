import Foundation
import JanusServe
import JanusTestSupport
import JanusWire
import Testing

/// `janus serve` as the supervisor runs it: separate processes that find themselves in
/// the cluster file, serve, and exit cleanly on SIGTERM.
@Suite struct WorkerProcessTests {
    @Test func twoStageProcessesServeTheGoldenAnswerAndStopOnSIGTERM() throws {
        let cluster = try TestCluster(stages: 2)
        let router = try FakeRouter(cluster: cluster)
        let stages = try (0..<2).map { index in
            try ServeProcess(["stage", "--cluster", cluster.path, "--name", "stage-\(index)",
                              "--model", Fixtures.safetensorsModel], logIn: cluster.directory, name: "stage-\(index)")
        }
        for (index, stage) in stages.enumerated() {
            let hello = try router.waitForHello(from: "stage-\(index)")
            try #require(hello?.stage?.index == UInt32(index), "stage-\(index): \(stage.stderr)")
        }
        try router.send(try GoldenSequences.understanding(id: "ask"), to: "stage-0")
        var answer: [Int64] = []
        while let inbound = try router.next(where: { $0.requestID == "ask" }) {
            guard case .sequenceEvent(let event)? = inbound.message?.body else {
                Issue.record("ask failed: \(String(describing: inbound.message?.body))")
                break
            }
            answer += event.tokens.tokens
            if event.tokens.finished { break }
        }
        #expect(answer == (try GoldenSequences.understandingAnswer()))

        for (index, stage) in stages.enumerated() {
            #expect(stage.terminate() == 0, "stage-\(index) after SIGTERM: \(stage.stderr)")
            #expect(stage.stderr.contains("janus.stage-\(index)"), "logs carry the process name")
        }
    }

    @Test func aNameOfAnotherRoleIsRefused() throws {
        let cluster = try TestCluster(stages: 1)
        let process = try ServeProcess(["decoder", "--cluster", cluster.path, "--name", "stage-0",
                                        "--model", Fixtures.safetensorsModel], logIn: cluster.directory, name: "wrong")
        #expect(process.waitForExit() == 1)
        #expect(process.stderr.contains("runs as stage"), "\(process.stderr)")
    }
}
