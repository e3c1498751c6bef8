import Foundation
import JanusCluster
import JanusServe
import JanusTestSupport
import JanusWire
import Testing

extension ClusterIntegrationTests {
    /// Done when #4: malformed frames sent to every socket a process of the cluster binds
    /// are answered with errors (or, where there is no way back, reported to the router),
    /// and every process is still alive and serving afterwards.
    @Suite struct MalformedFrameRobustness {
        static let refusalCodes: Set<ErrorCode> = [.malformed, .unsupportedVersion]

        @Test func everyBoundSocketSurvivesMalformedFrames() throws {
            let cluster = try LiveCluster(try ClusterLayout.local())
            defer { cluster.down() }
            try cluster.up()
            try cluster.waitUntilHealthy()
            let before = cluster.processes()
            try #require(before.count == 6)
            let context = try ZMQContext()

            // The router's client endpoint, as a client (DEALER): every case gets an Error.
            let client = try context.socket(.dealer)
            defer { client.close() }
            try client.connect(cluster.routerEndpoint)
            let clientCases = try MalformedFrames.cases(from: try MalformedFrames.clientRequest(id: "probe-client"))
            for probe in clientCases {
                try client.sendMultipart(probe.frames)
                expectRefusal(try client.receive(timeoutMilliseconds: 20_000), "client endpoint, \(probe)")
            }
            // The same connection is still served.
            try client.send(WireMessage(requestID: "status-after", body: .statusRequest(StatusRequest())))
            let status = try client.receive(timeoutMilliseconds: 20_000)?.message
            #expect(status?.requestID == "status-after", "no status reply after the malformed frames")

            // The router's backend endpoint, posing as a worker it does not know.
            let intruder = try context.socket(.dealer, options: [.routingID(Data("intruder-\(UUID().uuidString.prefix(6))".utf8))])
            defer { intruder.close() }
            try intruder.connect(cluster.layout.backendEndpoint)
            let backendCases = try MalformedFrames.cases(from: MalformedFrames.workerResult(id: "probe-backend/encode"))
            for probe in backendCases {
                try intruder.sendMultipart(probe.frames)
                expectRefusal(try intruder.receive(timeoutMilliseconds: 20_000), "backend endpoint, \(probe)")
            }
            // A well-formed result from a stranger is refused too: it never said hello.
            try intruder.send(MalformedFrames.workerResult(id: "probe-backend/encode"))
            let stranger = try intruder.receive(timeoutMilliseconds: 20_000)?.message
            guard case .error(let notFound)? = stranger?.body else {
                Issue.record("backend endpoint, unknown worker: \(String(describing: stranger))")
                return
            }
            #expect(notFound.code == .notFound, "\(notFound)")

            // Each stage's data endpoint (PULL, so no reply): the stage tells the router.
            var pushers: [ZMQSocket] = []
            defer { pushers.forEach { $0.close() } }
            for (index, stage) in cluster.spec.stages.enumerated() {
                let name = "stage-\(index)"
                let reportsBefore = reports(from: name, in: cluster)
                let pusher = try context.socket(.push)
                pushers.append(pusher)  // open until the end: closing may drop what is still queued
                try pusher.connect(stage.dataEndpoint.description)
                let cases = try MalformedFrames.cases(from: MalformedFrames.stepActivations(id: "probe-\(name)"))
                for probe in cases { try pusher.sendMultipart(probe.frames) }
                // Well-formed, but for a sequence the stage never saw (or, to stage 0, a body
                // it does not take on this socket).
                try pusher.send(MalformedFrames.stepActivations(id: "probe-\(name)-unknown"))
                let expected = reportsBefore + cases.count + 1
                let reported = Processes.poll(timeout: 30, interval: 0.05) { reports(from: name, in: cluster) >= expected }
                #expect(reported, "\(name) reported \(reports(from: name, in: cluster) - reportsBefore) of \(cases.count + 1) bad messages to the router")
            }

            // Everyone is still there: the same processes, all healthy, serving golden requests.
            let after = cluster.processes()
            #expect(after == before, "processes died or restarted: before \(before), after \(after)")
            let allRunning = after.values.allSatisfy(\.isRunning)
            #expect(allRunning)
            let health = try cluster.status()
            #expect(health.allHealthy(cluster.layout.processNames), "\(health.summary)")
            let scratch = try cluster.scratch("after-malformed")
            let images = try Client.generate(router: cluster.routerEndpoint, .greedy, output: scratch)
            #expect(images.grids == (try Golden.generationGrids()))
            #expect(images == (try References.shared.output(for: .greedy)))
            let answer = try Client.ask(router: cluster.routerEndpoint, images: Golden.twoImages,
                                        question: Golden.twoImageQuestion, greedyFlag: false)
            #expect(answer.token_ids == (try Golden.answer("two_images").ids))
            #expect(answer.text == (try Golden.answer("two_images").text))
        }

        /// The reply must be an `Error` refusing the message as malformed or of another version.
        private func expectRefusal(_ received: Received?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
            guard let received else {
                Issue.record("\(what): no reply within 20 s", sourceLocation: sourceLocation)
                return
            }
            guard let message = received.message, case .error(let error) = message.body else {
                Issue.record("\(what): expected an Error, got \(received.result)", sourceLocation: sourceLocation)
                return
            }
            #expect(Self.refusalCodes.contains(error.code), "\(what): \(error.code): \(error.message)",
                    sourceLocation: sourceLocation)
            #expect(!error.message.isEmpty, "\(what): the error should say what is wrong", sourceLocation: sourceLocation)
        }

        /// How many errors the router logged as reported by `worker`.
        private func reports(from worker: String, in cluster: LiveCluster) -> Int {
            cluster.log(of: "router").components(separatedBy: "\(worker) reported ").count - 1
        }
    }
}
