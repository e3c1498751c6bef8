import Foundation
import JanusCheckpoint
import JanusImage
import JanusTestSupport
import Testing

@Suite struct GenerateCommandTests {
    static let goldenPrompt = "A close-up photo of a red fox sitting in fresh snow, golden hour light."

    @Test func greedyRunReproducesTheGoldenTokenGridsAndImages() throws {
        let output = try Fixtures.temporaryDirectory("janus-generate")
        defer { try? FileManager.default.removeItem(at: output) }
        let tokensFile = output.appendingPathComponent("tokens.json")
        let result = try JanusCLI.run([
            "generate", "--model", Fixtures.safetensorsModel, "--prompt", Self.goldenPrompt, "--greedy",
            "--count", "2", "--cfg", "5", "--out", output.path, "--dump-tokens", tokensFile.path,
        ])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").map(String.init) ==
                ["0.png", "1.png"].map { output.appendingPathComponent($0).path })
        let grids = try JSONDecoder().decode([[Int]].self, from: Data(contentsOf: tokensFile))
        let expected = try GoldenTensors.load("generation.safetensors", "generation.cfg.generated_tokens")
        #expect(grids == (0..<2).map { expected[$0].integers().map(Int.init) })

        let reference = try GoldenTensors.load("generation.safetensors", "generation.cfg.decoded_uint8")
        for index in 0..<2 {
            let image = try RGBImage(decoding: Data(contentsOf: output.appendingPathComponent("\(index).png")))
            #expect(image.width == 64 && image.height == 64)
            let golden = reference[index].scalars(as: UInt8.self)
            let worst = zip(image.pixels, golden).map { abs(Int($0) - Int($1)) }.max() ?? 255
            #expect(worst <= 1, "image \(index) differs from the reference by up to \(worst)")
        }
    }

    @Test func seededSamplingGivesTheSamePNGBytesTwice() throws {
        func run() throws -> [Data] {
            let output = try Fixtures.temporaryDirectory("janus-generate")
            defer { try? FileManager.default.removeItem(at: output) }
            let result = try JanusCLI.run(["generate", "--model", Fixtures.safetensorsModel, "--prompt", "a cat",
                                           "--seed", "1234", "--count", "2", "--temperature", "0.9",
                                           "--out", output.path])
            try #require(result.status == 0, "\(result.stderr)")
            return try (0..<2).map { try Data(contentsOf: output.appendingPathComponent("\($0).png")) }
        }
        let first = try run()
        #expect(try run() == first)
        #expect(first[0] != first[1], "two images of one request should differ")
    }

    @Test func defaultModelWorksWithoutAnyCheckpoint() throws {
        let cache = try Fixtures.temporaryDirectory("janus-cache")
        let output = try Fixtures.temporaryDirectory("janus-generate")
        defer {
            try? FileManager.default.removeItem(at: cache)
            try? FileManager.default.removeItem(at: output)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["JANUS_CACHE_DIR"] = cache.path
        let result = try JanusCLI.run(["generate", "--prompt", "a lighthouse", "--seed", "5", "--out", output.path],
                                      environment: environment)
        try #require(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("untrained default model"))
        let image = try RGBImage(decoding: Data(contentsOf: output.appendingPathComponent("0.png")))
        #expect(image.width == 384 && image.height == 384)
        // The default checkpoint is a real one in the published layout.
        let inspect = try JanusCLI.run(["inspect", "--model", cache.appendingPathComponent("default-tiny-v1").path])
        #expect(inspect.status == 0 && inspect.stdout.contains("(safetensors)"))
    }

    @Test(arguments: [
        (["--count", "0"], "--count must be in 1…64"),
        (["--cfg=-1"], "--cfg must be a finite number ≥ 0"),
        (["--temperature", "0"], "--temperature must be > 0"),
        (["--image-size", "70"], "--image-size 70 is not a multiple of the VQ downsample factor 16"),
    ])
    func outOfRangeOptionsAreRefused(arguments: [String], message: String) throws {
        let result = try JanusCLI.run(["generate", "--model", Fixtures.safetensorsModel, "--prompt", "x",
                                       "--out", "/tmp/janus-never-written"] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func unknownModelDirectoryIsRefused() throws {
        let result = try JanusCLI.run(["generate", "--model", "/nonexistent/model", "--prompt", "x", "--out", "/tmp/x"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/model"))
    }

    @Test func missingTensorIsNamed() throws {
        let directory = try Fixtures.temporaryDirectory("janus-broken-model")
        defer { try? FileManager.default.removeItem(at: directory) }
        for name in ["config.json", "tokenizer.json", "processor_config.json"] {
            try FileManager.default.copyItem(atPath: Fixtures.path("models/janus-pro-tiny-a/\(name)"),
                                             toPath: directory.appendingPathComponent(name).path)
        }
        let source = try SafetensorsFile(path: Fixtures.path("models/janus-pro-tiny-a/model.safetensors"))
        let kept = try source.tensorNames.filter { $0 != "gen_head.vision_head.weight" }.map { ($0, try source.tensor($0)) }
        try SafetensorsWriter.write(kept.map { (name: $0.0, tensor: $0.1) },
                                    to: directory.appendingPathComponent("model.safetensors").path)
        let result = try JanusCLI.run(["generate", "--model", directory.path, "--prompt", "x", "--out", directory.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("gen_head.vision_head.weight"), "\(result.stderr)")
    }
}
