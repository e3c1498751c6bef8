import Foundation
import JanusCheckpoint
import JanusImage
import JanusTestSupport
import Testing

/// `generate`, `decode`, `ask` and `bench flow` on the golden JanusFlow checkpoint and
/// SDXL-VAE, and the pairings that must be refused.
@Suite struct FlowCommandTests {
    static let flowArguments = ["generate", "--model", FlowFixtures.model, "--vae", FlowFixtures.vae,
                                "--prompt", "A cute and adorable baby fox", "--steps", "3", "--count", "2"]

    @Test func seededGenerationGivesTheSamePNGBytesTwice() throws {
        func run(_ seed: String, dumpingTo latents: URL? = nil) throws -> [Data] {
            let output = try Fixtures.temporaryDirectory("janus-flow-generate")
            defer { try? FileManager.default.removeItem(at: output) }
            let result = try JanusCLI.run(Self.flowArguments + ["--seed", seed, "--out", output.path]
                                          + (latents.map { ["--dump-latents", $0.path] } ?? []))
            try #require(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.split(separator: "\n").map(String.init) ==
                    ["0.png", "1.png"].map { output.appendingPathComponent($0).path })
            let images = try (0..<2).map { try Data(contentsOf: output.appendingPathComponent("\($0).png")) }
            let decoded = try RGBImage(decoding: images[0])
            #expect(decoded.width == 80 && decoded.height == 80)
            return images
        }
        let scratch = try Fixtures.temporaryDirectory("janus-flow-latents")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let latentsFile = scratch.appendingPathComponent("latents.safetensors")
        let first = try run("1234", dumpingTo: latentsFile)
        #expect(try run("1234") == first)
        #expect(first[0] != first[1], "two images of one request should differ")
        #expect(try run("4321") != first)

        let latents = try SafetensorsFile(path: latentsFile.path).tensor("latents")
        #expect(latents.shape == [2, 4, 10, 10] && latents.dtype == .f32)
        // `decode` turns the saved latents into the very same PNGs.
        let decodedDirectory = scratch.appendingPathComponent("decoded")
        let decode = try JanusCLI.run(["decode", "--vae", FlowFixtures.vae, "--latents", latentsFile.path,
                                       "--out", decodedDirectory.path])
        try #require(decode.status == 0, "\(decode.stderr)")
        #expect(try (0..<2).map { try Data(contentsOf: decodedDirectory.appendingPathComponent("\($0).png")) } == first)
    }

    @Test func decodeTurnsDumpedTokenGridsIntoTheSameImages() throws {
        let scratch = try Fixtures.temporaryDirectory("janus-vq-decode")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let tokens = scratch.appendingPathComponent("tokens.json")
        let generated = try JanusCLI.run(["generate", "--model", Fixtures.safetensorsModel, "--prompt", "a cat", "--greedy",
                                          "--out", scratch.appendingPathComponent("generated").path,
                                          "--dump-tokens", tokens.path])
        try #require(generated.status == 0, "\(generated.stderr)")
        let decode = try JanusCLI.run(["decode", "--model", Fixtures.safetensorsModel, "--tokens", tokens.path,
                                       "--out", scratch.appendingPathComponent("decoded").path])
        try #require(decode.status == 0, "\(decode.stderr)")
        #expect(try Data(contentsOf: scratch.appendingPathComponent("decoded/0.png"))
                == Data(contentsOf: scratch.appendingPathComponent("generated/0.png")))
    }

    @Test func askAnswersWithAJanusFlowCheckpoint() throws {
        let result = try JanusCLI.run(["ask", "--model", FlowFixtures.model, "--image", FlowFixtures.path("images/doge.png"),
                                       "--max-new-tokens", "20", "--json", "Explain this meme."])
        try #require(result.status == 0, "\(result.stderr)")
        struct Output: Decodable { let token_ids: [Int] }
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        let golden = try FlowFixtures.goldenCase(named: "understanding.single_image")
        #expect(output.token_ids == golden["generated_ids"] as? [Int])
    }

    @Test func wrongPairingsAreRefusedClearly() throws {
        let badVAE = try Fixtures.temporaryDirectory("janus-bad-vae")
        defer { try? FileManager.default.removeItem(at: badVAE) }
        let config = try String(contentsOfFile: FlowFixtures.vae + "/config.json", encoding: .utf8)
        try config.replacingOccurrences(of: "\"latent_channels\": 4", with: "\"latent_channels\": 16")
            .write(to: badVAE.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)

        let cases: [([String], String)] = [
            (["--model", Fixtures.safetensorsModel, "--vae", FlowFixtures.vae],
             "is a Janus / Janus-Pro checkpoint: it decodes its own VQ image tokens and takes no VAE"),
            (["--model", FlowFixtures.model], "is a JanusFlow checkpoint: it generates SDXL-VAE latents, so it needs a VAE"),
            (["--model", FlowFixtures.model, "--vae", badVAE.path],
             "generates latents with 4 channels but the VAE \(badVAE.path) decodes 16-channel latents"),
            (["--model", FlowFixtures.model, "--vae", FlowFixtures.model], "expected a diffusers AutoencoderKL directory"),
            (["--model", FlowFixtures.vae], "is a VAE, not a generation checkpoint"),
            (["--model", FlowFixtures.model, "--vae", FlowFixtures.vae, "--greedy"], "--greedy does not apply to JanusFlow"),
            (["--model", Fixtures.safetensorsModel, "--steps", "4"], "--steps does not apply to Janus / Janus-Pro"),
        ]
        for (arguments, message) in cases {
            let result = try JanusCLI.run(["generate", "--prompt", "x", "--out", "/tmp/janus-never-written"] + arguments)
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        let decode = try JanusCLI.run(["decode", "--vae", FlowFixtures.vae, "--out", "/tmp/janus-never-written"])
        #expect(decode.status != 0 && decode.stderr.contains("give either --vae and --latents, or --model and --tokens"))
    }

    @Test func flowBenchReportsEveryRequestedPart() throws {
        struct Timing: Decodable { let name: String; let median_s: Double }
        struct Report: Decodable { let timings: [Timing]; let peak_rss_bytes: [String: Int]; let image_tokens: Int }
        let result = try JanusCLI.run(["bench", "flow", "--shape", "tiny", "--prompt-tokens", "20",
                                       "--parts", "llm", "uvit", "step", "vae384", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.timings.map(\.name) == ["LLM pass per ODE step (2 rows)", "ShallowUViT enc + dec (2 rows)",
                                                "whole ODE step (1 image(s))", "VAE decode 48x48 -> 384px"])
        #expect(report.timings.allSatisfy { $0.median_s > 0 } && report.image_tokens == 25)
        #expect(report.peak_rss_bytes["vae384"] ?? 0 > 0)
    }
}
