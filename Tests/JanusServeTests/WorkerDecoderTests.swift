import Foundation
import JanusImage
import JanusServe
import JanusTensor
import JanusTestSupport
import JanusWire
import Testing

/// The decoder service over real sockets: the golden token grids in, PNG files of the
/// golden pixels out; bounds and broken messages refused while it keeps serving.
@Suite struct WorkerDecoderTests {
    let cluster: TestCluster
    let router: FakeRouter
    let worker: BackgroundWorker

    init() throws {
        cluster = try TestCluster(stages: 1, decoders: 1)
        router = try FakeRouter(cluster: cluster)
        let settings = try cluster.settings("decoder-0", role: .decoder)
        worker = BackgroundWorker(try DecoderService(settings: settings, maxGridSide: 8, maxImages: 4,
                                                     logger: .worker(named: "decoder-0", level: .warning)))
        let hello = try #require(try router.waitForHello(from: "decoder-0"))
        #expect(hello.role == .decoder && hello.capacity >= 1)
    }

    static func goldenCodes() throws -> Tensor {
        try GoldenTensors.load("generation.safetensors", "generation.cfg.generated_tokens")
    }

    static func request(_ id: String, codes: Tensor, grid: (Int, Int) = (4, 4)) -> WireMessage {
        WireMessage(requestID: id, body: .decodeRequest(DecodeRequest(gridHeight: UInt32(grid.0), gridWidth: UInt32(grid.1))),
                    tensors: ["codes": codes])
    }

    /// Sends a request and returns the PNG files of its `DecodeResult`, in order.
    func decode(_ id: String, _ codes: Tensor) throws -> [Data] {
        try router.send(Self.request(id, codes: codes), to: "decoder-0")
        let reply = try #require(try router.reply(to: id)?.message)
        guard case .decodeResult = reply.body else {
            Issue.record("expected a decode_result, got \(reply.body)")
            return []
        }
        #expect(reply.tensors.map(\.name) == (0..<codes.shape[0]).map { "png.\($0)" })
        return try reply.tensors.map { Data(try reply.tensor(named: $0.name, dtype: .u8, rank: 1).scalars(as: UInt8.self)) }
    }

    @Test func goldenTokenGridsGiveTheGoldenImages() throws {
        defer { worker.stop() }
        let pngs = try decode("generation.cfg/image", try Self.goldenCodes())
        let reference = try GoldenTensors.load("generation.safetensors", "generation.cfg.decoded_uint8")
        try #require(pngs.count == 2)
        for (index, png) in pngs.enumerated() {
            let image = try RGBImage(decoding: png)
            #expect(image.width == 64 && image.height == 64)
            let worst = zip(image.pixels, reference[index].scalars(as: UInt8.self)).map { abs(Int($0) - Int($1)) }.max()
            #expect(worst ?? 255 <= 1, "image \(index) differs from the reference by up to \(worst ?? 255)")
        }
    }

    @Test func malformedFramesAreRefusedAndTheServiceGoesOn() throws {
        defer { worker.stop() }
        for bad in try MalformedFrames.cases(from: Self.request("valid", codes: try Self.goldenCodes())) {
            try router.sendFrames(bad.frames, to: "decoder-0")
            let refusal = try #require(try router.nextError(), "no Error for \(bad.label)")
            #expect(bad.codes.contains(refusal.error.code), "\(bad.label): \(refusal.error)")
        }
        #expect(try decode("after-malformed", try Self.goldenCodes()).count == 2)
    }

    @Test func requestsOutOfBoundsAreRefusedWithTheirID() throws {
        defer { worker.stop() }
        let codes = try Self.goldenCodes()
        let refusals: [WireMessage] = [
            Self.request("empty-grid", codes: codes, grid: (0, 16)),
            Self.request("huge-grid", codes: Tensor(zeros: [1, 81], dtype: .i64), grid: (9, 9)),
            Self.request("grid-mismatch", codes: codes, grid: (4, 3)),
            Self.request("no-images", codes: Tensor(zeros: [0, 16], dtype: .i64)),
            Self.request("too-many-images", codes: Tensor(zeros: [5, 16], dtype: .i64)),
            Self.request("code-out-of-range", codes: Tensor(shape: [1, 16], [Int64](repeating: 99_999, count: 16))),
            Self.request("negative-code", codes: Tensor(shape: [1, 16], [Int64](repeating: -1, count: 16))),
            Self.request("floats", codes: Tensor(zeros: [1, 16])),
        ]
        for message in refusals {
            try router.send(message, to: "decoder-0")
            let reply = try #require(try router.reply(to: message.requestID)?.message)
            guard case .error(let error) = reply.body else {
                Issue.record("\(message.requestID): expected an error, got \(reply.body.fieldName)")
                continue
            }
            #expect(error.code == .invalidArgument, "\(message.requestID): \(error)")
        }
        #expect(try decode("after-refusals", codes).count == 2)
    }
}
