import JanusTestSupport
import Foundation
import JanusTensor
import Testing
@testable import JanusWire

/// Messages over real ZeroMQ sockets.
@Suite struct SocketTests {
    @Test(arguments: ["tcp", "ipc", "inproc"])
    func requestAndReplyOverRouterAndDealer(_ transport: String) throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context, transport, dealerID: "worker-\(transport)")
        let request = Samples.messageWithEveryDType(requestID: "req-\(transport)")
        try dealer.send(request)

        let received = try receiveWithin5s(router)
        #expect(received.routingID == Data("worker-\(transport)".utf8))
        let message = try received.result.get()
        #expect(message.header == request.header)
        #expect(sameTensors(message.tensors, request.tensors))

        let tokens = Tensor(shape: [3], [Int64](arrayLiteral: 7, 8, 9))
        let reply = WireMessage(requestID: message.requestID, body: .done(Done(text: "ok", tokenIDs: [7, 8, 9])),
                                tensors: ["tokens": tokens])
        try router.send(reply, to: received.routingID)
        let answer = try receiveWithin5s(dealer)
        #expect(answer.routingID == nil)
        #expect(answer.message?.header == reply.header)
        #expect(answer.message?.tensor(named: "tokens")?.integers() == [7, 8, 9])
    }

    @Test func bindPicksAFreePortAndSaysWhich() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.pull)
        let endpoint = try socket.bind("tcp://127.0.0.1:*")
        guard case .tcp(let host, let port?) = try Endpoint(parsing: endpoint).transport else {
            Issue.record("bound endpoint \(endpoint) has no port")
            return
        }
        #expect(host == "127.0.0.1" && port > 0)
        #expect(try socket.lastEndpoint() == endpoint)
    }

    @Test func pushPullPipelineKeepsOrder() throws {
        let context = try ZMQContext()
        let pull = try context.socket(.pull)
        let push = try context.socket(.push)
        try push.connect(try pull.bind("tcp://127.0.0.1:*"))
        for step in 0..<200 {
            let hidden = Samples.tensor([step % 5 + 1, 64], .f32, seed: UInt64(step))
            try push.send(WireMessage(requestID: "step-\(step)",
                                      body: .step(StepActivations(stepID: UInt64(step))), tensors: ["hidden": hidden]))
        }
        for step in 0..<200 {
            let message = try receiveWithin5s(pull).result.get()
            #expect(message.body == .step(StepActivations(stepID: UInt64(step))))
            let hidden = try message.tensor(named: "hidden", dtype: .f32, rank: 2)
            #expect(sameBytes(hidden, Samples.tensor([step % 5 + 1, 64], .f32, seed: UInt64(step))))
        }
        #expect(try pull.receive(timeoutMilliseconds: 0) == nil)
    }

    @Test func sixtyFourMebibyteTensorRoundTrip() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context)
        let big = Samples.tensor([16, 1024, 1024], .f32, seed: 64)
        #expect(big.byteCount == 64 << 20)
        try dealer.send(WireMessage(requestID: "big", body: .encodeResult(EncodeResult()), tensors: ["embeddings": big]))

        let received = try receiveWithin5s(router)
        let embeddings = try received.result.get().tensor(named: "embeddings", dtype: .f32, rank: 3)
        #expect(embeddings.shape == [16, 1024, 1024])
        #expect(sameBytes(embeddings, big))

        // And back: the received tensor is sent on without a copy.
        try router.send(WireMessage(requestID: "big", body: .encodeResult(EncodeResult()),
                                    tensors: ["embeddings": embeddings]), to: received.routingID)
        let echoed = try receiveWithin5s(dealer).result.get()
        #expect(echoed.tensor(named: "embeddings").map { sameBytes($0, big) } == true)
    }

    @Test(arguments: ["inproc", "tcp"])
    func zeroCopySendKeepsStorageAlive(_ transport: String) throws {
        let context = try ZMQContext()
        let pull = try context.socket(.pull)
        let push = try context.socket(.push)
        try push.connect(try pull.bind(bindableEndpoint(transport)))

        weak var weakStorage: TensorStorage?
        var expected = Data()
        do {
            let hidden = Samples.tensor([256, 1024], .f32, seed: 11)  // 1 MiB: sent without a copy
            weakStorage = hidden.storage
            expected = Data(hidden.rawBytes)
            try push.send(WireMessage(requestID: "zc", body: .step(StepActivations()), tensors: ["hidden": hidden]))
        }
        if transport == "inproc" {
            // Undelivered, so only ZeroMQ's reference keeps the bytes alive.
            #expect(weakStorage != nil)
        }
        let message = try receiveWithin5s(pull).result.get()
        let hidden = try message.tensor(named: "hidden", dtype: .f32, rank: 2)
        #expect(hidden.storage !== weakStorage)
        #expect(withExtendedLifetime(hidden) { expected.withUnsafeBytes { sameBytes($0, hidden.rawBytes) } })
        // Once ZeroMQ is done it lets go: no leak.
        #expect(eventually { weakStorage == nil })
    }

    @Test func manyMessagesInALoop() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context)
        // Ping-pong.
        for index in 0..<1000 {
            let value = Tensor(shape: [1], [Int64(index)])
            try dealer.send(WireMessage(requestID: "ping-\(index)", body: .heartbeat(Heartbeat(load: UInt32(index))),
                                        tensors: ["value": value]))
            let ping = try receiveWithin5s(router)
            let message = try ping.result.get()
            #expect(message.requestID == "ping-\(index)")
            try router.send(WireMessage(requestID: message.requestID, body: .ack(Ack()),
                                        tensors: ["value": try message.tensor(named: "value", dtype: .i64)]),
                            to: ping.routingID)
            let pong = try receiveWithin5s(dealer).result.get()
            #expect(pong.requestID == "ping-\(index)" && pong.tensor(named: "value")?.integers() == [Int64(index)])
        }
        // A burst, below the high-water marks, then drained.
        for index in 0..<500 {
            try dealer.send(WireMessage(requestID: "burst-\(index)", body: .text(TextDelta(text: "\(index)"))))
        }
        for index in 0..<500 {
            #expect(try receiveWithin5s(router).message?.body == .text(TextDelta(text: "\(index)")))
        }
    }

    @Test func pollAndReceiveTimeOutWithNil() throws {
        let context = try ZMQContext()
        let quiet = try context.socket(.pull)
        let busy = try context.socket(.pull)
        _ = try quiet.bind(bindableEndpoint("inproc"))
        let push = try context.socket(.push)
        try push.connect(try busy.bind(bindableEndpoint("inproc")))

        let start = ContinuousClock.now
        #expect(try ZMQSocket.poll([quiet, busy], timeoutMilliseconds: 50) == nil)
        #expect(ContinuousClock.now - start >= .milliseconds(45))
        #expect(try quiet.receive(timeoutMilliseconds: 0) == nil)
        #expect(try quiet.receiveMultipart(timeoutMilliseconds: 10) == nil)

        try push.sendMultipart([Data("x".utf8)])
        #expect(try ZMQSocket.poll([quiet, busy], timeoutMilliseconds: 5000) == [1])
        #expect(try busy.receiveMultipart(timeoutMilliseconds: 0) == [Data("x".utf8)])
    }

    @Test func malformedMessagesGetErrorRepliesAndServingContinues() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context, "tcp")
        let cases = try MalformedCase.all().filter { !$0.frames.isEmpty }  // ZeroMQ cannot send zero frames
        #expect(cases.count >= 30)
        for (index, malformed) in cases.enumerated() {
            try dealer.sendMultipart(malformed.frames)
            let received = try receiveWithin5s(router, limits: malformed.limits)
            let error = try #require(received.error, "\(malformed.label) was accepted")
            #expect(error.code == malformed.code, "\(malformed.label)")
            #expect(error.message.contains(malformed.expectedMessage), "\(malformed.label): \(error.message)")

            // The server answers the right peer and keeps serving.
            try router.send(try #require(received.errorReply(origin: "router")), to: received.routingID)
            let reply = try receiveWithin5s(dealer).result.get()
            #expect(reply.requestID == (malformed.echoesRequestID ? "req-1" : "unknown"))
            guard case .error(let body) = reply.body else {
                Issue.record("\(malformed.label): reply is \(reply.body.fieldName)")
                continue
            }
            #expect(body.code == malformed.code && body.origin == "router")

            let valid = WireMessage(requestID: "after-\(index)", body: .ack(Ack()),
                                    tensors: ["x": Samples.tensor([4], .bf16, seed: UInt64(index))])
            try dealer.send(valid)
            #expect(try receiveWithin5s(router).message?.requestID == "after-\(index)", "after \(malformed.label)")
        }
    }

    @Test func randomBytesOverASocketDoNotStopTheServer() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context, "inproc")
        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let frames = (0..<Int.random(in: 1...3, using: &generator)).map { _ in
                Data((0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
            try dealer.sendMultipart(frames)
            #expect(try receiveWithin5s(router).error != nil)
        }
        try dealer.send(WireMessage(requestID: "still-here", body: .statusRequest(StatusRequest())))
        #expect(try receiveWithin5s(router).message?.requestID == "still-here")
    }
}

/// Socket misuse and transport failures surface as `ZMQError`s that say what happened.
@Suite struct SocketErrorTests {
    @Test func routerMandatoryReportsUnknownPeer() throws {
        let context = try ZMQContext()
        let router = try context.socket(.router, options: [.routerMandatory(true)])
        _ = try router.bind(bindableEndpoint("inproc"))
        let error = #expect(throws: ZMQError.self) {
            try router.send(WireMessage(requestID: "r", body: .ack(Ack())), to: Data("nobody".utf8))
        }
        #expect(error?.errorNumber == EHOSTUNREACH)
        #expect(error?.reason == "Host unreachable")
    }

    @Test func routingIDsOnlyWhereTheyBelong() throws {
        let context = try ZMQContext()
        let (router, dealer) = try routerAndDealer(context, "inproc")
        let message = WireMessage(requestID: "r", body: .ack(Ack()))
        let missing = #expect(throws: ZMQError.self) { try router.send(message) }
        #expect(missing?.reason == "a ROUTER socket needs the routing id of the peer to send to")
        let extra = #expect(throws: ZMQError.self) { try dealer.send(message, to: Data("x".utf8)) }
        #expect(extra?.errorNumber == EINVAL)
    }

    @Test func closedSocketsSayTheyAreClosed() throws {
        let context = try ZMQContext()
        let socket = try context.socket(.push)
        socket.close()
        socket.close()  // idempotent
        #expect(socket.isClosed)
        let error = #expect(throws: ZMQError.self) { try socket.sendMultipart([Data()]) }
        #expect(error?.errorNumber == ENOTSOCK)
        #expect(throws: ZMQError.self) { try socket.receive(timeoutMilliseconds: 0) }
    }

    @Test func badEndpointsAndBusyPorts() throws {
        let context = try ZMQContext()
        let first = try context.socket(.pull)
        let endpoint = try first.bind("tcp://127.0.0.1:*")
        let second = try context.socket(.pull)
        let busy = #expect(throws: ZMQError.self) { try second.bind(endpoint) }
        #expect(busy?.errorNumber == EADDRINUSE)
        #expect(busy?.description == "bind \(endpoint): Address already in use")

        let unsupported = #expect(throws: ZMQError.self) { try second.connect("udp://127.0.0.1:5555") }
        #expect(unsupported?.errorNumber == EINVAL)
        #expect(unsupported?.reason == "unsupported transport 'udp' (use tcp, ipc or inproc)")
    }

    @Test func failedZeroCopySendReleasesTheStorage() throws {
        let context = try ZMQContext()
        let push = try context.socket(.push)  // no peer: nothing can be queued
        weak var weakStorage: TensorStorage?
        do {
            let hidden = Samples.tensor([64, 64], .f32, seed: 3)  // 16 KiB: zero-copy
            weakStorage = hidden.storage
            let error = #expect(throws: ZMQError.self) {
                try push.send(WireMessage(requestID: "r", body: .step(StepActivations()), tensors: ["hidden": hidden]),
                              dontWait: true)
            }
            #expect(error?.errorNumber == EAGAIN)
            #expect(error?.description == "send frame 0 of 2: Resource temporarily unavailable")
        }
        #expect(weakStorage == nil)
    }

    @Test func emptyMultipartIsRefused() throws {
        let context = try ZMQContext()
        let push = try context.socket(.push)
        #expect(throws: ZMQError.self) { try push.sendMultipart([]) }
    }

    @Test func everyOptionCanBeSet() throws {
        let context = try ZMQContext()
        let options: [ZMQSocketOption] = [
            .linger(milliseconds: 100), .routingID(Data("id".utf8)), .sendHighWaterMark(10),
            .receiveHighWaterMark(10), .reconnectInterval(milliseconds: 50),
            .reconnectIntervalMax(milliseconds: 500), .immediate(true), .maxMessageSize(1 << 30),
            .sendTimeout(milliseconds: 200),
        ]
        _ = try context.socket(.dealer, options: options)
        _ = try context.socket(.router, options: [.routerMandatory(true)])
        let error = #expect(throws: ZMQError.self) { try context.socket(.pull, options: [.routingID(Data())]) }
        #expect(error?.errorNumber == EINVAL)
    }

    @Test func maxMessageSizeDropsOversizedPeers() throws {
        let context = try ZMQContext()
        let pull = try context.socket(.pull, options: [.maxMessageSize(1024)])
        let push = try context.socket(.push)
        try push.connect(try pull.bind("tcp://127.0.0.1:*"))
        try push.sendMultipart([Data(count: 4096)])
        #expect(try pull.receiveMultipart(timeoutMilliseconds: 300) == nil)
    }
}
