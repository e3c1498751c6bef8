import Foundation
import JanusImage
import JanusInference
import JanusModels
import JanusServe
import JanusTensor
import JanusTestSupport
import JanusWire
import Testing

/// The decoder service of a JanusFlow cluster over real sockets: latents in, the PNG
/// files `janus generate` would write out; what it cannot decode refused while it keeps
/// serving.
@Suite struct WorkerVAEDecoderTests {
    let cluster: TestCluster
    let router: FakeRouter
    let worker: BackgroundWorker

    init() throws {
        cluster = try TestCluster(stages: 1, decoders: 2)
        router = try FakeRouter(cluster: cluster)
        var settings = try WorkerSettings(cluster: cluster.spec, name: "decoder-0", role: .decoder,
                                          modelDirectory: FlowFixtures.model)
        settings.vaeDirectory = FlowFixtures.vae
        worker = BackgroundWorker(try DecoderService(settings: settings, maxGridSide: 16, maxImages: 4,
                                                     logger: .worker(named: "decoder-0", level: .warning)))
        try #require(try router.waitForHello(from: "decoder-0")?.role == .decoder)
    }

    static func request(_ id: String, _ tensors: KeyValuePairs<String, Tensor>, grid: (Int, Int) = (10, 10)) -> WireMessage {
        WireMessage(requestID: id, body: .decodeRequest(DecodeRequest(gridHeight: UInt32(grid.0), gridWidth: UInt32(grid.1))),
                    tensors: tensors)
    }

    static func finalLatents() throws -> Tensor { try FlowFixtures.tensor("ode.run", "z_final").converted(to: .f32).copy() }

    @Test func latentsGiveTheSingleProcessPNGBytes() throws {
        defer { worker.stop() }
        let latents = try Self.finalLatents()
        try router.send(Self.request("ode/image", ["latents": latents]), to: "decoder-0")
        let reply = try #require(try router.reply(to: "ode/image")?.message)
        guard case .decodeResult = reply.body else { Issue.record("expected a decode_result, got \(reply.body)"); return }
        let vae = try VAEImageDecoder.load(directory: FlowFixtures.vae)
        let expected = try vae.images(latents: latents).map { try $0.pngData() }
        let pngs = try (0..<2).map { Data(try reply.tensor(named: "png.\($0)", dtype: .u8, rank: 1).scalars(as: UInt8.self)) }
        #expect(pngs == expected)
        #expect(try RGBImage(decoding: pngs[0]).width == 80)
    }

    @Test func whatTheVAECannotDecodeIsRefusedWithItsID() throws {
        defer { worker.stop() }
        let latents = try Self.finalLatents()
        let refusals: [(WireMessage, String)] = [
            (Self.request("codes", ["codes": Tensor(zeros: [1, 100], dtype: .i64)]), "decodes JanusFlow latents with a VAE"),
            (Self.request("channels", ["latents": Tensor(zeros: [1, 16, 10, 10])]), "expected [B, 4, 10, 10]"),
            (Self.request("grid", ["latents": latents], grid: (10, 8)), "expected [B, 4, 10, 8]"),
            (Self.request("huge", ["latents": Tensor(zeros: [1, 4, 17, 17])], grid: (17, 17)), "outside 1…16"),
            (Self.request("none", ["latents": Tensor(zeros: [0, 4, 10, 10])]), "holds 0 images"),
            (Self.request("ints", ["latents": Tensor(zeros: [1, 4, 10, 10], dtype: .i64)]), "expected f32"),
        ]
        for (message, text) in refusals {
            try router.send(message, to: "decoder-0")
            let reply = try #require(try router.reply(to: message.requestID)?.message)
            guard case .error(let error) = reply.body else {
                Issue.record("\(message.requestID): expected an error, got \(reply.body.fieldName)")
                continue
            }
            #expect(error.code == .invalidArgument && error.message.contains(text), "\(message.requestID): \(error)")
        }
        try router.send(Self.request("after", ["latents": latents.rows(0..<1)]), to: "decoder-0")
        guard case .decodeResult? = try router.reply(to: "after")?.message?.body else { Issue.record("no result"); return }
    }

    @Test func aVQDecoderRefusesLatents() throws {
        defer { worker.stop() }
        let vq = BackgroundWorker(try DecoderService(settings: try cluster.settings("decoder-1", role: .decoder),
                                                     logger: .worker(named: "decoder-1", level: .warning)))
        defer { vq.stop() }
        try #require(try router.waitForHello(from: "decoder-1") != nil)
        try router.send(Self.request("latents", ["latents": try Self.finalLatents()]), to: "decoder-1")
        let reply = try #require(try router.reply(to: "latents")?.message)
        guard case .error(let error) = reply.body else { Issue.record("expected an error, got \(reply.body)"); return }
        #expect(error.message.contains("latents need a decoder started with --vae"), "\(error)")
    }
}
