import Foundation
import JanusTestSupport
import Testing

/// The benchmark commands run end to end at the tiny shape and report their numbers.
/// (Tests never judge speed; they check the report is complete.)
@Suite struct BenchCommandTests {
    struct Timing: Decodable { let name: String; let median_s: Double; let runs_s: [Double] }
    struct Report: Decodable { let timings: [Timing]; let peak_rss_bytes: [String: Int] }

    @Test func generateBenchReportsEveryRequestedPart() throws {
        let result = try JanusCLI.run(["bench", "generate", "--shape", "tiny", "--rows", "4", "--context", "32",
                                       "--repetitions", "2", "--parts", "decode", "head", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.timings.map(\.name) == ["LLM decode step (4 rows)", "gen head + CFG (4 rows)"])
        #expect(report.timings.allSatisfy { $0.runs_s.count == 2 && $0.median_s > 0 })
        #expect(report.peak_rss_bytes["decode"] ?? 0 > 0)
    }

    @Test func understandBenchReportsThroughput() throws {
        let result = try JanusCLI.run(["bench", "understand", "--shape", "tiny", "--prompt-tokens", "40",
                                       "--new-tokens", "3", "--repetitions", "1", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.timings.count == 3)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect((object?["prefill_tok_per_s"] as? Double ?? 0) > 0)
        #expect((object?["decode_tok_per_s"] as? Double ?? 0) > 0)
    }

    @Test func unknownShapeIsRefused() throws {
        let result = try JanusCLI.run(["bench", "generate", "--shape", "janus-pro-70b"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("janus-pro-70b"))
    }
}
