import Foundation
import JanusTestSupport
import Testing

/// `--compute`, `--weights` and `--kv-cache` on the commands that run the model: bf16 and
/// int8 must run end to end, f32 (the default) must stay the parity path, and bad values
/// are refused.
@Suite struct ComputeOptionTests {
    struct Answer: Decodable {
        let text: String
        let token_ids: [Int]
    }

    static let question = ["ask", "--model", Fixtures.safetensorsModel, "--image", Fixtures.path("images/doge.png"),
                           "--greedy", "--max-new-tokens", "12", "--json",
                           "<image_placeholder>\nWhat is the animal in this picture doing?"]

    @Test func askRunsInEveryModeAndF32IsTheGoldenPath() throws {
        let golden = try GoldenTensors.ids("understanding.safetensors", "understanding.single_image.generated_ids")
        let modes = [["--compute", "f32"], ["--compute", "bf16"], ["--weights", "int8"],
                     ["--compute", "bf16", "--weights", "int8"], ["--compute", "bf16", "--kv-cache", "int8"]]
        for mode in modes {
            let result = try JanusCLI.run(Self.question + mode)
            try #require(result.status == 0, "\(mode): \(result.stderr)")
            let answer = try JSONDecoder().decode(Answer.self, from: Data(result.stdout.utf8))
            #expect(answer.token_ids.count == 12, "\(mode): \(answer.token_ids)")
            if mode == ["--compute", "f32"] { #expect(answer.token_ids == Array(golden.prefix(12))) }
        }
    }

    @Test func generateRunsInBf16WithInt8Weights() throws {
        let output = try Fixtures.temporaryDirectory("janus-generate-bf16")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try JanusCLI.run(["generate", "--model", Fixtures.safetensorsModel, "--prompt", "a cat",
                                       "--seed", "3", "--compute", "bf16", "--weights", "int8", "--threads", "1", "--out", output.path])
        try #require(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("0.png").path))
    }

    @Test func unknownModesAreRefused() throws {
        let flag = try JanusCLI.run(Self.question + ["--compute", "f16"])
        #expect(flag.status != 0)
        var environment = ProcessInfo.processInfo.environment
        environment["JANUS_COMPUTE"] = "int4"
        let variable = try JanusCLI.run(Self.question, environment: environment)
        #expect(variable.status != 0)
        #expect(variable.stderr.contains("JANUS_COMPUTE=int4"), "\(variable.stderr)")
        #expect(try JanusCLI.run(Self.question + ["--weights", "int4"]).status != 0)
        #expect(try JanusCLI.run(Self.question + ["--kv-cache", "int4"]).status != 0)
        environment["JANUS_COMPUTE"] = nil
        environment["JANUS_KV_CACHE"] = "f16"
        let cacheVariable = try JanusCLI.run(Self.question, environment: environment)
        #expect(cacheVariable.status != 0 && cacheVariable.stderr.contains("JANUS_KV_CACHE=f16"), "\(cacheVariable.stderr)")
    }
}
