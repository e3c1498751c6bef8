import Foundation
import JanusTestSupport
import Testing

extension ClusterIntegrationTests {
    /// `janus bench cluster` against a small local cluster of the golden model: the report
    /// is complete (no timing assertions: this machine's speed is not the point).
    @Suite struct BenchClusterCommand {
        struct Report: Decodable {
            struct Percentiles: Decodable { let median, p90, min: Double }
            struct Hop: Decodable {
                let measured, transport: String
                let rows, hidden_size, message_bytes, round_trips: Int
                let one_way_us: Percentiles
            }
            struct RouterTrip: Decodable {
                let measured, router: String
                let requests: Int
                let round_trip_ms: Percentiles
            }
            struct Throughput: Decodable { let seconds, image_tokens_per_s: Double }
            struct EndToEnd: Decodable {
                let requests, images_per_request, image_size, tokens_per_image, image_tokens: Int
                let cluster, single_process: Throughput
                let ratio, single_process_model_load_s: Double
                let same_images: Bool
            }
            let cluster_file, model: String
            let hop: Hop
            let router_round_trip: RouterTrip
            let end_to_end: EndToEnd
        }

        @Test func reportsHopRouterAndEndToEndFiguresForARunningCluster() throws {
            let echoesBefore = echoProcesses()
            let cluster = try LiveCluster(try ClusterLayout.local())
            defer { cluster.down() }
            try cluster.up()
            try cluster.waitUntilHealthy()

            let result = try JanusCLI.run(["bench", "cluster", "--cluster", cluster.file, "--model", Fixtures.safetensorsModel,
                                           "--requests", "3", "--round-trips", "20", "--json"])
            try #require(result.status == 0, "\(result.stderr)\n\(cluster.diagnostics())")
            let report = try JSONDecoder().decode(Report.self, from: Data(result.stdout.utf8))
            #expect(report.cluster_file == cluster.file)
            #expect(report.model == Fixtures.safetensorsModel)

            let hop = report.hop
            #expect(hop.rows == 2 && hop.hidden_size == 64, "a CFG pair of the golden model's hidden size")
            #expect(hop.message_bytes >= 2 * 64 * 4, "the message carries at least the activation")
            #expect(hop.round_trips == 20)
            #expect(hop.transport.hasPrefix("tcp on 127.0.0.1"), "\(hop.transport)")
            #expect(hop.measured.contains("half the round trip") && hop.measured.contains("echo process"), "\(hop.measured)")
            #expect(hop.one_way_us.min > 0 && hop.one_way_us.min <= hop.one_way_us.median
                    && hop.one_way_us.median <= hop.one_way_us.p90)

            let trip = report.router_round_trip
            #expect(trip.router == cluster.routerEndpoint && trip.requests == 20)
            #expect(trip.measured.contains("StatusRequest"))
            #expect(trip.round_trip_ms.min > 0 && trip.round_trip_ms.median <= trip.round_trip_ms.p90)

            let e2e = report.end_to_end
            #expect(e2e.requests == 3 && e2e.images_per_request == 1 && e2e.image_size == 64 && e2e.tokens_per_image == 16)
            #expect(e2e.image_tokens == 3 * 16)
            #expect(e2e.cluster.seconds > 0 && e2e.single_process.seconds > 0)
            #expect(e2e.cluster.image_tokens_per_s > 0 && e2e.single_process.image_tokens_per_s > 0)
            let ratio = e2e.cluster.image_tokens_per_s / e2e.single_process.image_tokens_per_s
            #expect(abs(e2e.ratio - ratio) < 1e-9 * max(1, ratio))
            #expect(e2e.same_images, "the cluster and the single process should give the same PNGs")

            // The text report says the same, in words.
            let text = try JanusCLI.run(["bench", "cluster", "--cluster", cluster.file, "--model", Fixtures.safetensorsModel,
                                         "--requests", "2", "--round-trips", "10"])
            try #require(text.status == 0, "\(text.stderr)")
            for phrase in ["per-hop latency, decode-step activation (2 rows × 64 f32", "one way: median", "measured: half the round trip",
                           "router round trip (\(cluster.routerEndpoint)): median", "end to end: 2 requests",
                           "cluster (all at once through the router):", "single process (one after another here):",
                           "ratio cluster / single process:", "same images: yes"] {
                #expect(text.stdout.contains(phrase), "missing \"\(phrase)\" in:\n\(text.stdout)")
            }

            // The cluster served the bench's requests, and the echo process is gone.
            let status = try cluster.status()
            #expect(status.kind("generate")?.completed == 5 && status.kind("generate")?.failed == 0, "\(status.summary)")
            #expect(echoProcesses() == echoesBefore, "the bench left its echo process running")
        }

        @Test func saysWhenNoClusterIsRunning() throws {
            let layout = try ClusterLayout.local()
            let directory = try Fixtures.temporaryDirectory("janus-bench-cluster")
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("cluster.toml").path
            try layout.toml.write(toFile: file, atomically: true, encoding: .utf8)
            let result = try JanusCLI.run(["bench", "cluster", "--cluster", file, "--model", Fixtures.safetensorsModel])
            #expect(result.status != 0)
            #expect(result.stderr.contains("no answer from the router at \(layout.routerEndpoint)"), "\(result.stderr)")
            #expect(result.stderr.contains("janus cluster up \(file)"), "\(result.stderr)")
        }

        /// Pids of `janus bench cluster --echo-from …` processes on this machine.
        private func echoProcesses() -> Set<Int32> {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return Set(entries.compactMap { entry -> Int32? in
                guard let pid = Int32(entry),
                      let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
                return String(decoding: data, as: UTF8.self).contains("--echo-from") ? pid : nil
            })
        }
    }
}
