#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import JanusCluster
import JanusTestSupport
import Testing

extension ClusterIntegrationTests {
    /// Done when #3: processes die (SIGKILL) under load. Decoders are stateless and
    /// their work is resent; a stage's sequences are lost, and their requests fail
    /// promptly, naming the stage, while the router keeps serving.
    @Suite struct Failures {
        /// Liveness 15 × 200 ms = 3 s (the shipped default's 3 × 1 s): the supervisor
        /// brings a killed process back (0.5 s plus loading) before the router would miss
        /// its heartbeats, so the router must notice the restart from the new process's
        /// `Hello`, on the same routing id. It also leaves a frozen decoder time to be
        /// handed work before the router gives up on it.
        static func layout(maxConcurrentGenerations: Int = 4) throws -> ClusterLayout {
            var layout = try ClusterLayout.local()
            layout.liveness = 15
            layout.maxConcurrentGenerations = maxConcurrentGenerations
            return layout
        }

        @Test func killingADecoderDuringTwentyGenerationsLosesNoImage() throws {
            let requests = (0..<20).map { GenerationRequest.seeded(100 + UInt64($0 % 5)) }
            let references = try References.shared.outputs(for: requests)
            try #require(Set(references.values.map(\.pngs)).count == 5, "the 5 seeds should give 5 different image pairs")

            let cluster = try LiveCluster(try Self.layout())
            defer { cluster.down() }
            try cluster.up()
            try cluster.waitUntilHealthy()
            let victim = try #require(cluster.processes()["decoder-0"])
            let router = cluster.routerEndpoint
            let scratch = try cluster.scratch("decoder-kill")

            let started = Date()
            let submissions = Background(requests.enumerated().map { index, request in
                { @Sendable () throws -> GenerationOutput in
                    try Client.generate(router: router, request, output: scratch.appendingPathComponent("\(index)"), timeout: 50)
                }
            })

            // Catch decoder-0 holding work: freeze it once generations run, wait until the
            // router has handed it an image, then kill it with that image undelivered.
            let probe = try RouterProbe(endpoint: router)
            let running = Processes.poll(timeout: 30, interval: 0.01) {
                guard let generate = try? probe.kind("generate") else { return false }
                return generate.inFlight > 0 || generate.completed > 0
            }
            #expect(running, "no generation started")
            kill(victim.pid, SIGSTOP)
            var heldWork = false
            Processes.poll(timeout: 30, interval: 0.01) {
                guard let decoder = try? probe.process("decoder-0") else { return false }
                heldWork = decoder.healthy && decoder.load > 0
                return heldWork || !decoder.healthy
            }
            kill(victim.pid, SIGKILL)
            #expect(heldWork, "decoder-0 never held an image to lose before the router gave up on it")

            guard let results = submissions.wait(timeout: 120) else {
                Issue.record("the 20 requests did not finish within 120 s\n\(cluster.diagnostics())")
                return
            }
            let elapsed = Date().timeIntervalSince(started)
            for (index, (request, result)) in zip(requests, results).enumerated() {
                switch result {
                case .success(let output):
                    #expect(output == references[request], "request \(index) (\(request)): images or grids differ from the run without a kill")
                case .failure(let error):
                    Issue.record("request \(index) (\(request)) failed: \(error)")
                }
            }
            let restarted = cluster.waitForRestart(of: "decoder-0", replacing: victim)
            #expect(restarted != nil, "the supervisor did not restart decoder-0")
            #expect(cluster.log(of: "router").contains("lost decoder-0"), "the router never noticed decoder-0's death")
            let status = try cluster.status()
            #expect(status.kind("generate")?.completed == 20 && status.kind("generate")?.failed == 0, "\(status.summary)")
            print("decoder kill: 20 generation requests in \(String(format: "%.1f", elapsed)) s")
        }

        @Test(arguments: ["stage-0", "stage-1"])
        func killingAStageFailsItsRequestsNamingItAndTheClusterRecovers(stage: String) throws {
            let reference = try References.shared.output(for: .greedy)
            let cluster = try LiveCluster(try Self.layout(maxConcurrentGenerations: 2))
            defer { cluster.down() }
            try cluster.up()
            try cluster.waitUntilHealthy()
            let router = cluster.routerEndpoint
            let scratch = try cluster.scratch("stage-kill")
            let routerProcess = try #require(cluster.processes()["router"])
            let victim = try #require(cluster.processes()[stage])
            let probe = try RouterProbe(endpoint: router)

            // Two long generations (4096 tokens each) fill the pipeline's two generation slots.
            let deadline: TimeInterval = 60
            let long = Background([GenerationRequest.large(side: 1024, seed: 7), .large(side: 1024, seed: 8)].enumerated().map { index, request in
                { @Sendable () throws -> TimedRun in
                    let start = Date()
                    let result = try JanusCLI.run(["submit", "generate", "--router", router, "--timeout", "\(Int(deadline))"]
                                                  + request.options + ["--out", scratch.appendingPathComponent("long-\(index)").path])
                    return TimedRun(status: result.status, stdout: result.stdout, stderr: result.stderr,
                                    seconds: Date().timeIntervalSince(start))
                }
            })
            let bothRunning = Processes.poll(timeout: 30, interval: 0.02) { (try? probe.kind("generate"))?.inFlight == 2 }
            try #require(bothRunning, "the long requests never ran: \(String(describing: try? cluster.status().summary))")
            // A third one waits in the queue meanwhile: it is not on the pipeline, so it must survive.
            let queued = Background([{ @Sendable () throws -> GenerationOutput in
                try Client.generate(router: router, .greedy, output: scratch.appendingPathComponent("queued"), timeout: 90)
            }])
            let isQueued = Processes.poll(timeout: 30, interval: 0.02) { (try? probe.kind("generate"))?.queued == 1 }
            try #require(isQueued, "the third request was not queued")

            kill(victim.pid, SIGKILL)

            guard let outcomes = long.wait(timeout: deadline + 30) else {
                Issue.record("the long requests did not end\n\(cluster.diagnostics())")
                return
            }
            for (index, outcome) in outcomes.enumerated() {
                guard case .success(let run) = outcome else {
                    Issue.record("long request \(index): \(outcome)")
                    continue
                }
                #expect(run.status != 0, "long request \(index) should have failed with \(stage) gone")
                #expect(run.stderr.contains("lost pipeline stage \(stage)"), "long request \(index): \(run.stderr)")
                #expect(run.seconds < deadline, "long request \(index) took \(run.seconds) s, past its \(deadline) s deadline")
            }
            // The router kept serving: same process, status answers.
            #expect(routerProcess.isRunning, "the router died")
            #expect((try? probe.status()) != nil, "the router does not answer status")

            let restarted = cluster.waitForRestart(of: stage, replacing: victim)
            #expect(restarted != nil, "the supervisor did not restart \(stage)")
            try cluster.waitUntilHealthy()

            // The queued request ran once the pipeline was whole again.
            switch queued.wait(timeout: 120)?.first {
            case .success(let output)?: #expect(output == reference, "the queued request's images differ from single-process")
            case .failure(let error)?: Issue.record("the queued request failed: \(error)")
            case nil: Issue.record("the queued request did not finish\n\(cluster.diagnostics())")
            }
            // And new requests succeed.
            let fresh = try Client.generate(router: router, .greedy, output: scratch.appendingPathComponent("after"))
            #expect(fresh.grids == (try Golden.generationGrids()))
            #expect(fresh == reference)
            let answer = try Client.ask(router: router, images: Golden.singleImage, question: Golden.singleImageQuestion,
                                        greedyFlag: true)
            #expect(answer.token_ids == (try Golden.answer("single_image").ids))
            let status = try cluster.status()
            #expect(status.kind("generate")?.failed == 2 && status.kind("generate")?.completed == 2, "\(status.summary)")
        }
    }
}
