import Foundation
import JanusServe
import JanusTestSupport
import JanusWire
import Logging
import Testing

/// The router on its own (no workers registered, so nothing runs): admission limits,
/// deadlines, cancellation and refused requests, over real sockets.
@Suite struct RouterRequestTests {
    /// A router serving `cluster` on a thread until the returned stop is called.
    final class RunningRouter {
        let cluster: TestCluster
        let context: ZMQContext
        private let stop = ShutdownFlag()
        private let finished = DispatchSemaphore(value: 0)

        init(policy: String) throws {
            cluster = try TestCluster(policy: policy)
            context = try ZMQContext()
            let server = try RouterServer(spec: cluster.spec, model: RouterModel(directory: Fixtures.safetensorsModel),
                                          context: context, logger: Logger(label: "router-test"))
            let thread = Thread { [stop, finished] in
                server.run(until: { stop.isRequested })
                finished.signal()
            }
            thread.start()
        }

        func client() throws -> RouterClient {
            try RouterClient(endpoint: cluster.spec.router.clientEndpoint.description, context: context)
        }

        deinit {
            stop.request()
            finished.wait()
        }
    }

    private func generation(_ prompt: String = "a fox") -> GenerateRequest {
        GenerateRequest(prompt: prompt, count: 1, cfgWeight: 5, sampling: Sampling(greedy: true))
    }

    @Test func aFullQueueAnswersOverloaded() throws {
        let router = try RunningRouter(policy: "max_queued_generation = 1")
        // The first request waits in the queue (no pipeline); keep it there on its own socket.
        let first = try WireMessage(requestID: "first", body: .generate(generation()))
        let socket = try router.context.socket(.dealer, options: [])
        try socket.connect(router.cluster.spec.router.clientEndpoint.description)
        try socket.send(first)
        let queued = try #require(try socket.receive(timeoutMilliseconds: 10_000)?.message)
        guard case .progress(let update) = queued.body else { Issue.record("expected progress, got \(queued.body)"); return }
        #expect(update.phase == "queued")
        let second = try router.client()
        #expect {
            _ = try second.generate(generation(), deadline: 10) { _, _, _ in }
        } throws: { error in
            (error as? RouterClient.Failure)?.code == .overloaded
        }
        socket.close()
    }

    @Test func aQueuedRequestFailsAtItsDeadline() throws {
        let router = try RunningRouter(policy: "")
        let client = try router.client()
        let started = Date()
        #expect {
            _ = try client.generate(generation(), deadline: 0.5) { _, _, _ in }
        } throws: { error in
            guard let failure = error as? RouterClient.Failure else { return false }
            return failure.code == .deadlineExceeded && failure.message.contains("queued")
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func cancellingARequestEndsIt() throws {
        let router = try RunningRouter(policy: "")
        let socket = try router.context.socket(.dealer, options: [])
        defer { socket.close() }
        try socket.connect(router.cluster.spec.router.clientEndpoint.description)
        try socket.send(try WireMessage(requestID: "job", body: .generate(generation())))
        _ = try socket.receive(timeoutMilliseconds: 10_000)  // queued
        try socket.send(try WireMessage(requestID: "job", body: .cancel(Cancel())))
        let reply = try #require(try socket.receive(timeoutMilliseconds: 10_000)?.message)
        guard case .error(let error) = reply.body else { Issue.record("expected an error, got \(reply.body)"); return }
        #expect(error.code == .cancelled)
        try socket.send(try WireMessage(requestID: "nothing", body: .cancel(Cancel())))
        let unknown = try #require(try socket.receive(timeoutMilliseconds: 10_000)?.message)
        guard case .error(let missing) = unknown.body else { Issue.record("expected an error"); return }
        #expect(missing.code == .notFound)
    }

    @Test func badRequestsAreRefusedWithReasons() throws {
        let router = try RunningRouter(policy: "")
        let client = try router.client()
        let cases: [(GenerateRequest, String)] = [
            (GenerateRequest(prompt: "x", count: 0, cfgWeight: 5, sampling: Sampling(greedy: true)), "count must be in 1…64"),
            (GenerateRequest(prompt: "x", count: 1, cfgWeight: -1, sampling: Sampling(greedy: true)), "cfg weight"),
            (GenerateRequest(prompt: "x", count: 1, cfgWeight: 5, sampling: Sampling(temperature: 0)), "temperature"),
            (GenerateRequest(prompt: "x", count: 1, cfgWeight: 5, sampling: Sampling(greedy: true), imageSize: 70),
             "multiple of 16"),
            (GenerateRequest(prompt: "  ", count: 1, cfgWeight: 5, sampling: Sampling(greedy: true)), "prompt is empty"),
        ]
        for (request, message) in cases {
            #expect {
                _ = try client.generate(request, deadline: 10) { _, _, _ in }
            } throws: { error in
                guard let failure = error as? RouterClient.Failure else { return false }
                return failure.code == .invalidArgument && failure.message.contains(message)
            }
        }
        #expect {
            _ = try client.ask(AskRequest(question: "<image_placeholder> what?", sampling: Sampling(greedy: true)), images: [], deadline: 10) { _ in }
        } throws: { error in
            (error as? RouterClient.Failure)?.message.contains("1 <image_placeholder> marker(s) but 0 image(s)") == true
        }
        #expect {
            _ = try client.ask(AskRequest(question: "what?", sampling: Sampling(greedy: true)), images: [Data("not a picture".utf8)], deadline: 10) { _ in }
        } throws: { error in
            (error as? RouterClient.Failure)?.message.contains("image 0") == true
        }
        let status = try client.status()
        #expect(status.processes.map(\.name) == ["router"])
        #expect(status.classes.first { $0.name == "generate" }?.failed == 0)
    }
}
