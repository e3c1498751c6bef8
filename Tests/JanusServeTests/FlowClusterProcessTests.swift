import Foundation
import JanusServe
import JanusTestSupport
import JanusWire
import Testing

/// JanusFlow on a cluster of real `janus serve` processes (router, encoder, two stages,
/// a VAE decoder) with the golden JanusFlow checkpoint and VAE: `submit` gives exactly
/// what the single-process commands give, and wrong pairings are refused.
@Suite(.serialized) struct FlowClusterProcessTests {
    static let prompt = "A cute and adorable baby fox"

    /// The processes of `cluster`, each with `arguments` after its name.
    static func start(_ cluster: TestCluster, _ processes: [(role: String, name: String, arguments: [String])]) throws -> [ServeProcess] {
        try processes.map { process in
            try ServeProcess([process.role, "--cluster", cluster.path, "--name", process.name] + process.arguments,
                             logIn: cluster.directory, name: process.name)
        }
    }

    /// Waits until the router reports every worker of `names` healthy.
    static func waitUntilHealthy(_ cluster: TestCluster, _ names: Set<String>, processes: [ServeProcess]) throws {
        let context = try ZMQContext()
        let client = try RouterClient(endpoint: cluster.spec.router.clientEndpoint.description, context: context)
        let deadline = Date() + 120
        while Date() < deadline {
            let status = try? client.status(timeout: 2)
            let healthy = Set(status?.processes.filter(\.healthy).map(\.name) ?? [])
            if names.isSubset(of: healthy) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("the cluster never became healthy:\n\(logs(of: processes))")
    }

    static func logs(of processes: [ServeProcess]) -> String {
        processes.map(\.stderr).joined(separator: "\n")
    }

    static func pngs(in directory: URL, count: Int) throws -> [Data] {
        try (0..<count).map { try Data(contentsOf: directory.appendingPathComponent("\($0).png")) }
    }

    /// With one stage the ODE loop stays inside it; with two the latents travel back.
    @Test(arguments: [2, 1])
    func submitGivesTheSinglePNGBytesAndTheSingleProcessAnswer(stageCount: Int) throws {
        let cluster = try TestCluster(stages: stageCount, encoders: 1, decoders: 1)
        let model = ["--model", FlowFixtures.model]
        let stages = (0..<stageCount).map { (role: "stage", name: "stage-\($0)", arguments: model) }
        let processes = try Self.start(cluster, [("router", "router", model), ("encoder", "encoder-0", model)] + stages
                                       + [("decoder", "decoder-0", model + ["--vae", FlowFixtures.vae])])
        defer { for process in processes { _ = process.terminate() } }
        try Self.waitUntilHealthy(cluster, Set(["encoder-0", "decoder-0"] + stages.map(\.name)), processes: processes)

        let request = ["--prompt", Self.prompt, "--count", "2", "--steps", "3", "--seed", "1234"]
        let scratch = try Fixtures.temporaryDirectory("janus-flow-cluster")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (distributed, single) = (scratch.appendingPathComponent("cluster"), scratch.appendingPathComponent("single"))
        let submitted = try JanusCLI.run(["submit", "generate", "--cluster", cluster.path, "--out", distributed.path] + request)
        try #require(submitted.status == 0, "\(submitted.stderr)\n\(Self.logs(of: processes))")
        let generated = try JanusCLI.run(["generate", "--model", FlowFixtures.model, "--vae", FlowFixtures.vae,
                                          "--out", single.path] + request)
        try #require(generated.status == 0, "\(generated.stderr)")
        let images = try Self.pngs(in: distributed, count: 2)
        #expect(images == (try Self.pngs(in: single, count: 2)), "the cluster's PNGs differ from one process's")
        #expect(images[0] != images[1])

        // Understanding on the same cluster: SigLIP + beg_of_und_embed rows from the encoder.
        let question = ["--image", FlowFixtures.path("images/doge.png"), "--max-new-tokens", "20", "--json", "Explain this meme."]
        let asked = try JanusCLI.run(["submit", "ask", "--cluster", cluster.path] + question)
        try #require(asked.status == 0, "\(asked.stderr)")
        struct Answer: Decodable { let token_ids: [Int] }
        let answer = try JSONDecoder().decode(Answer.self, from: Data(asked.stdout.utf8))
        #expect(answer.token_ids == (try FlowFixtures.goldenCase(named: "understanding.single_image"))["generated_ids"] as? [Int])

        // Options of Janus-Pro's token sampling mean nothing here.
        for options in [["--greedy"], ["--image-size", "64"], ["--top-k", "5"]] {
            let refused = try JanusCLI.run(["submit", "generate", "--cluster", cluster.path, "--out", scratch.path,
                                            "--prompt", "x"] + options)
            #expect(refused.status != 0 && refused.stderr.contains("JanusFlow"), "\(options): \(refused.stderr)")
        }
        for process in processes { #expect(process.terminate() == 0, "\(process.stderr)") }
    }

    @Test func aJanusProClusterRefusesODESteps() throws {
        let cluster = try TestCluster(stages: 1)
        let router = try Self.start(cluster, [("router", "router", ["--model", Fixtures.safetensorsModel])])
        defer { for process in router { _ = process.terminate() } }
        let refused = try JanusCLI.run(["submit", "generate", "--cluster", cluster.path, "--out", cluster.directory.path,
                                        "--prompt", "a cat", "--steps", "3", "--timeout", "30"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("ODE steps apply to JanusFlow"), "\(refused.stderr)")
    }

    @Test func aJanusFlowDecoderWithoutAVAEIsRefusedAtStartup() throws {
        let cluster = try TestCluster(stages: 1)
        let decoder = try Self.start(cluster, [("decoder", "decoder-0", ["--model", FlowFixtures.model])])[0]
        #expect(decoder.waitForExit() == 1)
        #expect(decoder.stderr.contains("it needs a VAE directory"), "\(decoder.stderr)")
        #expect(decoder.stderr.contains("--vae DIR"), "\(decoder.stderr)")

        let vqWithVAE = try Self.start(cluster, [("decoder", "decoder-0", ["--model", Fixtures.safetensorsModel,
                                                                         "--vae", FlowFixtures.vae])])[0]
        #expect(vqWithVAE.waitForExit() == 1)
        #expect(vqWithVAE.stderr.contains("takes no VAE"), "\(vqWithVAE.stderr)")

        let stageWithVAE = try Self.start(cluster, [("stage", "stage-0", ["--model", FlowFixtures.model,
                                                                         "--vae", FlowFixtures.vae])])[0]
        #expect(stageWithVAE.waitForExit() == 64)
        #expect(stageWithVAE.stderr.contains("--vae is for decoders"), "\(stageWithVAE.stderr)")
    }

    @Test func clusterUpRefusesAJanusFlowClusterWithoutAVAE() throws {
        let cluster = try TestCluster(stages: 1)
        let up = try JanusCLI.run(["cluster", "up", cluster.path, "--model", FlowFixtures.model])
        #expect(up.status != 0)
        #expect(up.stderr.contains("its decoders need --vae DIR"), "\(up.stderr)")
        let wrong = try JanusCLI.run(["cluster", "up", cluster.path, "--model", Fixtures.safetensorsModel,
                                      "--vae", FlowFixtures.vae])
        #expect(wrong.status != 0 && wrong.stderr.contains("takes no VAE"), "\(wrong.stderr)")
        let units = try JanusCLI.run(["cluster", "render", cluster.path, "--node", "local", "--model", FlowFixtures.model,
                                      "--vae", FlowFixtures.vae])
        try #require(units.status == 0, "\(units.stderr)")
        #expect(units.stdout.components(separatedBy: "--vae").count == 2, "only the decoder's unit names the VAE")
    }
}
