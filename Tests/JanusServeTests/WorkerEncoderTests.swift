import Foundation
import JanusServe
import JanusTensor
import JanusTestSupport
import JanusWire
import Testing

/// The encoder service over real sockets: golden pixels in, the golden image embeddings
/// out; broken and unservable requests refused while the service keeps serving.
@Suite struct WorkerEncoderTests {
    let cluster: TestCluster
    let router: FakeRouter
    let worker: BackgroundWorker

    init() throws {
        cluster = try TestCluster(stages: 1, encoders: 1)
        router = try FakeRouter(cluster: cluster)
        let settings = try cluster.settings("encoder-0", role: .encoder)
        worker = BackgroundWorker(try EncoderService(settings: settings, maxImages: 4,
                                                     logger: .worker(named: "encoder-0", level: .warning)))
        let hello = try #require(try router.waitForHello(from: "encoder-0"))
        #expect(hello.role == .encoder && hello.node == "local" && hello.capacity >= 1)
    }

    static func pixels(_ images: [String]) throws -> Tensor {
        let each = try images.map { try GoldenTensors.load("image_preprocess.safetensors", "image.\($0).pixel_values") }
        return Tensor(shape: [images.count] + each[0].shape, each.flatMap { $0.floats() })
    }

    static func request(_ id: String, pixels: Tensor, deadline: UInt64 = 0) -> WireMessage {
        WireMessage(requestID: id, deadlineMilliseconds: deadline, body: .encodeRequest(EncodeRequest()),
                    tensors: ["pixels": pixels])
    }

    /// Sends a request and returns the embeddings of its `EncodeResult`.
    func encode(_ id: String, _ pixels: Tensor) throws -> Tensor {
        try router.send(Self.request(id, pixels: pixels), to: "encoder-0")
        let reply = try #require(try router.reply(to: id)?.message)
        guard case .encodeResult = reply.body else {
            Issue.record("expected an encode_result, got \(reply.body)")
            return Tensor(zeros: [0])
        }
        return try reply.tensor(named: "embeddings", dtype: .f32, rank: 3)
    }

    @Test(arguments: [("understanding.single_image", ["doge"]),
                      ("understanding.two_images", ["astronaut_portrait", "coffee_square"])])
    func goldenPixelsGiveTheGoldenImageEmbeddings(golden: String, images: [String]) throws {
        defer { worker.stop() }
        let embeddings = try encode("\(golden)/encode", try Self.pixels(images))
        expectClose(actual: embeddings, expected: try GoldenTensors.load("understanding.safetensors", "\(golden).image_embeds"),
                    atol: 2e-4, rtol: 1e-4, "\(golden) image_embeds")
    }

    @Test func malformedFramesAreRefusedAndTheServiceGoesOn() throws {
        defer { worker.stop() }
        let valid = Self.request("valid", pixels: try Self.pixels(["doge"]))
        for bad in try MalformedFrames.cases(from: valid) {
            try router.sendFrames(bad.frames, to: "encoder-0")
            let refusal = try #require(try router.nextError(), "no Error for \(bad.label)")
            #expect(bad.codes.contains(refusal.error.code), "\(bad.label): \(refusal.error)")
            #expect(refusal.error.origin == "encoder-0")
        }
        #expect(try encode("after-malformed", try Self.pixels(["doge"])).shape == [1, 36, 64])
    }

    @Test func unservableRequestsAreRefusedWithTheirID() throws {
        defer { worker.stop() }
        let refusals: [(WireMessage, ErrorCode)] = [
            (Self.request("small", pixels: Tensor(zeros: [1, 3, 32, 32])), .invalidArgument),
            (Self.request("too-many", pixels: Tensor(zeros: [5, 3, 96, 96])), .invalidArgument),
            (Self.request("integers", pixels: Tensor(zeros: [1, 3, 96, 96], dtype: .i64)), .invalidArgument),
            (WireMessage(requestID: "no-pixels", body: .encodeRequest(EncodeRequest())), .malformed),
            (WireMessage(requestID: "wrong-body", body: .decodeRequest(DecodeRequest(gridHeight: 1, gridWidth: 1))),
             .invalidArgument),
            (Self.request("late", pixels: try Self.pixels(["doge"]), deadline: 1), .deadlineExceeded),
        ]
        for (message, code) in refusals {
            try router.send(message, to: "encoder-0")
            let reply = try #require(try router.reply(to: message.requestID)?.message)
            guard case .error(let error) = reply.body else {
                Issue.record("\(message.requestID): expected an error, got \(reply.body.fieldName)")
                continue
            }
            #expect(error.code == code, "\(message.requestID): \(error)")
        }
        #expect(try encode("after-refusals", try Self.pixels(["doge"])).shape == [1, 36, 64])
    }
}
