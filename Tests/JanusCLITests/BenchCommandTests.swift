import Foundation
import JanusTestSupport
import Testing

/// The benchmark commands run end to end at the tiny shape and report their numbers.
/// (Tests never judge speed; they check the report is complete.)
@Suite struct BenchCommandTests {
    struct Timing: Decodable { let name: String; let median_s: Double; let runs_s: [Double] }
    struct Floor: Decodable {
        let weight_bytes_per_step: Int, cache_bytes_per_step: Int
        let read_bytes_per_s: Double, slowest_read_bytes_per_s: Double, fastest_read_bytes_per_s: Double
        let floor_s: Double, floor_with_cache_s: Double, efficiency: Double, efficiency_with_cache: Double
    }
    struct Report: Decodable { let timings: [Timing]; let peak_rss_bytes: [String: Int]; let decode_floor: Floor? }

    @Test func generateBenchReportsEveryRequestedPart() throws {
        let result = try JanusCLI.run(["bench", "generate", "--shape", "tiny", "--rows", "4", "--context", "32",
                                       "--repetitions", "2", "--parts", "decode", "head", "--compute", "f32", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
        #expect(report.timings.map(\.name) == ["LLM decode step (4 rows)", "gen head + CFG (4 rows)"])
        #expect(report.timings.allSatisfy { $0.runs_s.count == 2 && $0.median_s > 0 })
        #expect(report.peak_rss_bytes["decode"] ?? 0 > 0)
        // The step against this host's read bandwidth, sampled between the steps (the
        // median of the samples): floor = bytes ÷ bandwidth, with and without the caches.
        let floor = try #require(report.decode_floor)
        #expect(floor.weight_bytes_per_step > 0 && floor.read_bytes_per_s > 1e8)
        #expect(floor.slowest_read_bytes_per_s <= floor.read_bytes_per_s && floor.read_bytes_per_s <= floor.fastest_read_bytes_per_s)
        // 4 rows × 32 positions × 3 layers × (keys + values) × 4 kv heads × 16 dims × 4 bytes (f32 compute).
        #expect(floor.cache_bytes_per_step == 4 * 32 * 3 * 2 * 4 * 16 * 4)
        #expect(abs(floor.floor_s - Double(floor.weight_bytes_per_step) / floor.read_bytes_per_s) < 1e-9)
        let allBytes = Double(floor.weight_bytes_per_step + floor.cache_bytes_per_step)
        #expect(abs(floor.floor_with_cache_s - allBytes / floor.read_bytes_per_s) < 1e-9)
        #expect(abs(floor.efficiency - floor.floor_s / report.timings[0].median_s) < 1e-9)
        #expect(abs(floor.efficiency_with_cache - floor.floor_with_cache_s / report.timings[0].median_s) < 1e-9)
    }

    struct ImageReport: Decodable {
        let image_size: Int
        let image_tokens: Int
        let prompt_tokens: Int
        let total_s: Double
        let s_per_image_token: Double
        let prefill_s: Double
        let decode_step_s: Double
        let vq_decode_s: Double
        let peak_rss_bytes: Int
        let weight_bytes: Int
        let weight_bytes_by_part: [String: Int]
        let peak_rss_per_weight_byte: Double
    }
    struct ImageBenchReport: Decodable { let timings: [Timing]; let peak_rss_bytes: [String: Int]; let image: ImageReport }

    @Test func imageBenchRunsOneWholeImageAndComparesRSSWithTheWeights() throws {
        let result = try JanusCLI.run(["bench", "generate", "--shape", "tiny", "--parts", "image", "--json"])
        try #require(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(ImageBenchReport.self, from: Data(result.stdout.utf8))
        let image = report.image
        #expect(image.image_size == 384 && image.image_tokens == 576)
        #expect(image.prompt_tokens > 10)
        #expect(image.total_s > 0 && image.prefill_s > 0 && image.decode_step_s > 0 && image.vq_decode_s > 0)
        #expect(abs(image.s_per_image_token * 576 - image.total_s) < 1e-9)
        // Kept in the schema every part shares (bench/compare.py reads timings[i].median_s).
        #expect(report.timings.count == 1 && report.timings[0].runs_s.count == 1)
        #expect(report.timings[0].median_s == image.total_s)
        #expect(report.peak_rss_bytes["image"] ?? 0 >= image.peak_rss_bytes)

        #expect(image.peak_rss_bytes > 0 && image.weight_bytes > 0)
        #expect(Set(image.weight_bytes_by_part.keys) == ["language_model", "gen_head", "gen_embed_aligner", "vq_decoder"])
        #expect(image.weight_bytes_by_part.values.reduce(0, +) == image.weight_bytes)
        #expect(image.peak_rss_bytes > image.weight_bytes, "the process holds at least its weights")
        let ratio = Double(image.peak_rss_bytes) / Double(image.weight_bytes)
        #expect(abs(image.peak_rss_per_weight_byte - ratio) < 1e-9 * ratio)
        #expect(result.stderr.contains("image tokens 576/576"), "progress is shown as `generate` shows it")
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
