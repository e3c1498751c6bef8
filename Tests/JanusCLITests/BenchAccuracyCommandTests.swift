import Foundation
import JanusTestSupport
import Testing

/// `janus bench accuracy` on the golden checkpoint: the f32 path against itself must
/// agree exactly, and bf16 / int8 (weights, KV cache) must report agreement and KL in range.
@Suite struct BenchAccuracyCommandTests {
    struct Report: Decodable {
        struct Case: Decodable {
            let name: String
            let steps: Int
            let agreement: Double
            let mean_kl: Double
            let kl_steps: Int
        }
        let cases: [Case]
    }

    func report(_ mode: [String]) throws -> Report {
        let result = try JanusCLI.run(["bench", "accuracy", "--model", Fixtures.safetensorsModel, "--text-tokens", "8",
                                       "--json"] + mode)
        try #require(result.status == 0, "\(mode): \(result.stderr)")
        return try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
    }

    @Test func theF32PathAgreesWithItselfExactly() throws {
        let report = try report([])
        #expect(report.cases.map(\.name) == ["understanding", "text", "cfg_generation"])
        for item in report.cases {
            #expect(item.steps >= 1, "\(item.name)")
            #expect(item.agreement == 1, "\(item.name)")
            #expect(item.mean_kl == 0, "\(item.name)")
            #expect(item.kl_steps == item.steps, "\(item.name)")
        }
    }

    @Test(arguments: [["--compute", "bf16"], ["--weights", "int8"], ["--compute", "bf16", "--weights", "int8"],
                      ["--kv-cache", "int8"], ["--compute", "bf16", "--weights", "int8", "--kv-cache", "int8"]])
    func reducedPrecisionReportsNumbersInRange(mode: [String]) throws {
        for item in try report(mode).cases {
            #expect((0...1).contains(item.agreement), "\(mode) \(item.name)")
            // The tiny model's distributions are nearly flat; rounding moves them by far
            // less than a nat, but it does move them.
            #expect(item.mean_kl > 0 && item.mean_kl < 0.1, "\(mode) \(item.name): \(item.mean_kl)")
            #expect((1...item.steps).contains(item.kl_steps), "\(mode) \(item.name)")
        }
    }
}
