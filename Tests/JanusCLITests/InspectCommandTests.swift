import Foundation
import JanusTestSupport
import Testing

@Suite struct InspectCommandTests {
    struct Report: Decodable {
        struct Row: Decodable, Equatable {
            let name: String
            let dtype: String
            let shape: [Int]
            let bytes: Int
            let sha256: String?
        }
        let format: String
        let tensors: [Row]
        let tensor_count: Int
        let total_bytes: Int
    }

    private func inspect(_ directory: String) throws -> Report {
        let result = try JanusCLI.run(["inspect", "--model", directory, "--json", "--checksums"])
        try #require(result.status == 0, "janus inspect failed: \(result.stderr)")
        return try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    @Test func threeLayoutsOfOneCheckpointHaveIdenticalInventoriesAndChecksums() throws {
        let safetensors = try inspect(Fixtures.safetensorsModel)
        let bin = try inspect(Fixtures.binModel)
        let sharded = try inspect(Fixtures.shardedBinModel)
        #expect(safetensors.format == "safetensors")
        #expect(bin.format == "pytorch-bin")
        #expect(sharded.format == "pytorch-bin-sharded")
        #expect(safetensors.tensor_count == 429)
        #expect(safetensors.tensors.allSatisfy { $0.dtype == "bf16" && $0.sha256?.count == 64 })
        #expect(safetensors.total_bytes == safetensors.tensors.reduce(0) { $0 + $1.bytes })
        #expect(bin.tensors == safetensors.tensors)
        #expect(sharded.tensors == safetensors.tensors)
    }

    @Test func tableShowsTheConfigurationAndEveryTensor() throws {
        let result = try JanusCLI.run(["inspect", "--model", Fixtures.safetensorsModel])
        #expect(result.status == 0)
        #expect(result.stdout.contains("language    heads=4 hidden_size=64"))
        #expect(result.stdout.contains("tensors     429, "))
        #expect(result.stdout.contains("language_model.model.embed_tokens.weight"))
        #expect(result.stdout.contains("[3072, 64]"))
    }

    @Test func missingDirectoryIsAClearError() throws {
        let result = try JanusCLI.run(["inspect", "--model", "/nonexistent/Janus-Pro-1B"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/Janus-Pro-1B: not a directory"))
    }

    @Test func directoryWithoutWeightsSaysWhatWasLookedFor() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(atPath: Fixtures.path("models/janus-pro-tiny-a/config.json"),
                                         toPath: directory.appendingPathComponent("config.json").path)
        let result = try JanusCLI.run(["inspect", "--model", directory.path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("no checkpoint found"))
        #expect(result.stderr.contains("model.safetensors"))
    }
}

@Suite struct InspectOtherKindsTests {
    @Test func janusFlowAndVAEDirectoriesAreSummarised() throws {
        let flow = try JanusCLI.run(["inspect", "--model", Fixtures.path("flow/models/janusflow-tiny-a")])
        #expect(flow.status == 0, "\(flow.stderr)")
        #expect(flow.stdout.contains("latent_channels=4"))
        #expect(flow.stdout.contains("tensors     134, "))
        let vae = try JanusCLI.run(["inspect", "--model", Fixtures.path("flow/models/sdxl-vae-tiny-a"), "--json"])
        #expect(vae.status == 0, "\(vae.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(vae.stdout.utf8)) as? [String: Any]
        #expect(object?["format"] as? String == "diffusers-safetensors")
        #expect((object?["config"] as? [String: Any])?["model_type"] as? String == "AutoencoderKL")
    }
}
