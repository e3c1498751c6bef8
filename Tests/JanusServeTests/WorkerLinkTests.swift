import Foundation
import JanusServe
import JanusWire
import Testing

/// The router link every worker shares: Hello, heartbeats with the load, re-Hello on
/// NOT_FOUND, reconnecting when the router falls silent, and stopping on request.
@Suite struct WorkerLinkTests {
    @Test func announcesItselfByNameThenHeartbeatsItsLoad() throws {
        let cluster = try TestCluster(stages: 1, heartbeatMilliseconds: 50)
        let router = try FakeRouter(cluster: cluster)
        let worker = BackgroundWorker(IdleService(settings: try cluster.settings("encoder-0", role: .encoder)))
        defer { worker.stop() }

        let hello = try #require(try router.waitForHello(from: "encoder-0"))
        #expect(hello == Hello(role: .encoder, name: "encoder-0", node: "local", capacity: 3))
        #expect(router.hellos.first?.from == "encoder-0", "the routing id is the process name")
        #expect(try router.pump { router.heartbeats.filter { $0.from == "encoder-0" }.count >= 3 })
        #expect(router.heartbeats.allSatisfy { $0.heartbeat.load == 7 })

        try router.send(WireMessage(requestID: "job-1", body: .encodeRequest(EncodeRequest())), to: "encoder-0")
        let reply = try #require(try router.reply(to: "job-1"))
        #expect(reply.message?.body == .ack(Ack()))
    }

    @Test func answersNotFoundWithAnotherHello() throws {
        let cluster = try TestCluster(stages: 1)
        let router = try FakeRouter(cluster: cluster)
        let worker = BackgroundWorker(IdleService(settings: try cluster.settings("decoder-0", role: .decoder)))
        defer { worker.stop() }

        try #require(try router.waitForHello(from: "decoder-0") != nil)
        let unknown = ErrorReply(code: .notFound, message: "who are you?", origin: "router")
        try router.send(WireMessage(requestID: "decoder-0", body: .error(unknown)), to: "decoder-0")
        #expect(try router.waitForHello(from: "decoder-0") != nil)
    }

    @Test func reconnectsAndSaysHelloWhenTheRouterFallsSilent() throws {
        let cluster = try TestCluster(stages: 1, heartbeatMilliseconds: 50, liveness: 2)
        let router = try FakeRouter(cluster: cluster)
        router.sendsHeartbeats = false
        let worker = BackgroundWorker(IdleService(settings: try cluster.settings("encoder-0", role: .encoder)))
        defer { worker.stop() }

        try #require(try router.waitForHello(from: "encoder-0") != nil)
        #expect(try router.waitForHello(from: "encoder-0") != nil, "a second Hello after liveness × interval of silence")
        // Once heartbeats flow, the link works over its latest connection. (A request
        // may meet a connection being replaced, as a real router's may: ask again.)
        router.sendsHeartbeats = true
        var answered = false
        for attempt in 0..<20 where !answered {
            try router.send(WireMessage(requestID: "after-\(attempt)", body: .encodeRequest(EncodeRequest())),
                            to: "encoder-0")
            answered = try router.reply(to: "after-\(attempt)", timeout: 3)?.message?.body == .ack(Ack())
        }
        #expect(answered)
    }

    @Test func stopsWhenAskedAndTheRouterIsGone() throws {
        let cluster = try TestCluster(stages: 1)
        let worker = BackgroundWorker(IdleService(settings: try cluster.settings("encoder-0", role: .encoder)))
        #expect(worker.stop(timeout: 30))
        #expect(worker.error == nil)
    }
}
