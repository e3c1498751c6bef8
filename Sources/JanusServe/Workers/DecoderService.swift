import JanusCheckpoint
import JanusImage
import JanusInference
import JanusModels
import JanusTensor
import JanusWire
import Logging

/// The image decoder: VQ-16 for Janus / Janus-Pro (`DecodeRequest {grid_height,
/// grid_width}` + `codes` i64 `[B, h·w]`), or the SDXL-VAE for JanusFlow (+ `latents`
/// f32 `[B, C, h, w]`), → `DecodeResult` + `png.0 … png.{B−1}` u8 PNG files. Stateless;
/// images are decoded one at a time (memory stays one image's activations) with
/// heartbeats between.
public final class DecoderService: WorkerService, @unchecked Sendable {
    /// What this decoder turns into pictures, as its model directory (and `--vae`) imply.
    public enum Backend: Sendable {
        /// `gen_vision_model` of a Janus / Janus-Pro checkpoint: token grids.
        case vq(VQImageDecoder)
        /// A diffusers AutoencoderKL for a JanusFlow checkpoint: latents.
        case vae(VAEImageDecoder)
    }

    public let settings: WorkerSettings
    public let logger: Logger
    public let backend: Backend
    /// Largest grid side: tokens for VQ (64 tokens are 1024 px with VQ-16, whose
    /// activations peak at a few 512 MB tensors), latent cells for the VAE (64 are 512 px
    /// with the SDXL-VAE; JanusFlow draws 48). Larger grids are refused rather than risked.
    public let maxGridSide: Int
    /// Images one request may carry.
    public let maxImages: Int
    private var inFlight = 0

    public init(settings: WorkerSettings, backend: Backend, maxGridSide: Int = 64, maxImages: Int = 64,
                logger: Logger? = nil) {
        self.settings = settings
        self.backend = backend
        self.maxGridSide = max(maxGridSide, 1)
        self.maxImages = max(maxImages, 1)
        self.logger = logger ?? .worker(named: settings.name)
    }

    public convenience init(settings: WorkerSettings, decoder: VQImageDecoder, maxGridSide: Int = 64,
                            maxImages: Int = 64, logger: Logger? = nil) {
        self.init(settings: settings, backend: .vq(decoder), maxGridSide: maxGridSide, maxImages: maxImages,
                  logger: logger)
    }

    /// Loads what the model in `settings` decodes with: only `gen_vision_model` (its
    /// decoder half) of a Janus / Janus-Pro checkpoint, or the VAE of `settings.vaeDirectory`
    /// for a JanusFlow checkpoint (whose own weights a decoder never reads). Wrong
    /// pairings are refused before any weights are read.
    public convenience init(settings: WorkerSettings, maxGridSide: Int = 64, maxImages: Int = 64,
                            logger: Logger? = nil) throws {
        self.init(settings: settings, backend: try Self.loadBackend(settings), maxGridSide: maxGridSide,
                  maxImages: maxImages, logger: logger)
    }

    private static func loadBackend(_ settings: WorkerSettings) throws -> Backend {
        let directory = settings.modelDirectory
        switch try ModelKind.detect(directory: directory) {
        case .janus:
            if let vae = settings.vaeDirectory {
                throw SettingsError("\(settings.name): \(ModelSetupError.vaeForVQModel(model: directory, vae: vae))")
            }
            let configuration = try JanusConfiguration.load(directory: directory)
            let weights = Weights(try Checkpoint.open(directory: directory))
            return .vq(try VQImageDecoder(weights: weights.scoped("gen_vision_model"),
                                          configuration: configuration.genVision.params))
        case .janusFlow:
            guard let vae = settings.vaeDirectory else {
                throw SettingsError("\(settings.name): \(ModelSetupError.flowWithoutVAE(model: directory)); "
                                        + "start the decoders with --vae DIR (janus cluster up … --vae DIR)")
            }
            try FlowTextToImage.checkPairing(model: directory, vae: vae)
            return .vae(try VAEImageDecoder.load(directory: vae))
        case .vae:
            throw SettingsError("\(directory) is a VAE: pass it as --vae, with the JanusFlow checkpoint as --model")
        }
    }

    public var hello: Hello {
        // As the encoder: one running, one waiting in the socket.
        Hello(role: .decoder, name: settings.name, node: settings.node, capacity: 2)
    }

    public var load: Heartbeat { Heartbeat(load: UInt32(inFlight)) }

    public func handleRouterMessage(_ message: WireMessage, link: WorkerLink) {
        guard case .decodeRequest(let request) = message.body else { return link.send(unexpected(message)) }
        inFlight += 1
        defer { inFlight -= 1 }
        do {
            let pngs = try decode(message, request: request, link: link)
            let tensors = pngs.enumerated().map { index, png in
                NamedTensor(name: "png.\(index)", tensor: Tensor(shape: [png.count], png))
            }
            link.send(WireMessage(header: WireHeader(requestID: message.requestID, body: .decodeResult(DecodeResult())),
                                  tensors: tensors))
        } catch {
            link.send(WireError.from(error, requestID: message.requestID))
        }
    }

    private func decode(_ message: WireMessage, request: DecodeRequest, link: WorkerLink) throws -> [[UInt8]] {
        let requestID = message.requestID
        let (height, width) = (Int(request.gridHeight), Int(request.gridWidth))
        guard (1...maxGridSide).contains(height), (1...maxGridSide).contains(width) else {
            throw WireError(.invalidArgument, "grid \(height)×\(width) is outside 1…\(maxGridSide) per side",
                            requestID: requestID)
        }
        switch backend {
        case .vq(let decoder):
            guard message.tensor(named: "codes") != nil || message.tensor(named: "latents") == nil else {
                throw WireError(.invalidArgument, "\(settings.name) decodes VQ token grids (a Janus / Janus-Pro "
                                    + "checkpoint); latents need a decoder started with --vae", requestID: requestID)
            }
            let codes = try message.tensor(named: "codes", dtype: .i64, rank: 2)
            return try decodeTokens(codes, decoder: decoder, height: height, width: width, requestID: requestID, link: link)
        case .vae(let vae):
            guard message.tensor(named: "latents") != nil || message.tensor(named: "codes") == nil else {
                throw WireError(.invalidArgument, "\(settings.name) decodes JanusFlow latents with a VAE; "
                                    + "VQ token grids need a decoder of a Janus / Janus-Pro checkpoint", requestID: requestID)
            }
            let latents = try message.tensor(named: "latents", dtype: .f32, rank: 4)
            return try decodeLatents(latents, vae: vae, height: height, width: width, requestID: requestID, link: link)
        }
    }

    private func checkCount(_ count: Int, _ shape: [Int], expected: String, requestID: String) throws {
        guard (1...maxImages).contains(count) else {
            throw WireError(.invalidArgument, "\(shape) holds \(count) images; expected \(expected) with 1 ≤ B ≤ \(maxImages)",
                            requestID: requestID)
        }
    }

    private func decodeTokens(_ codes: Tensor, decoder: VQImageDecoder, height: Int, width: Int, requestID: String,
                              link: WorkerLink) throws -> [[UInt8]] {
        let count = codes.shape[0]
        let expected = "[B, \(height * width)] for a \(height)×\(width) grid"
        try checkCount(count, codes.shape, expected: expected, requestID: requestID)
        guard codes.shape[1] == height * width else {
            throw WireError(.invalidArgument, "codes are \(codes.shape); expected \(expected)", requestID: requestID)
        }
        let all = codes.integers()
        let images = (0..<count).map { image in
            all[(image * height * width)..<((image + 1) * height * width)].map { Int(clamping: $0) }
        }
        // Every image is checked before the first is decoded: a bad code costs no work.
        try decoder.validate(codes: images, gridHeight: height, gridWidth: width)
        let side = (height: height * decoder.downsample, width: width * decoder.downsample)
        return try images.map { imageCodes in
            let pixels = try decoder.decodeToRGB(codes: [imageCodes], gridHeight: height, gridWidth: width)[0]
            link.keepAlive()
            return try png(RGBImage(width: side.width, height: side.height, pixels: pixels), requestID: requestID)
        }
    }

    /// Latents `[B, C, h, w]` → one PNG per image, the same bytes `janus generate`
    /// writes for them.
    private func decodeLatents(_ latents: Tensor, vae: VAEImageDecoder, height: Int, width: Int, requestID: String,
                               link: WorkerLink) throws -> [[UInt8]] {
        let expected = "[B, \(vae.latentChannels), \(height), \(width)]"
        try checkCount(latents.shape[0], latents.shape, expected: expected, requestID: requestID)
        guard latents.shape.dropFirst() == [vae.latentChannels, height, width] else {
            throw WireError(.invalidArgument, "latents are \(latents.shape); expected \(expected)", requestID: requestID)
        }
        return try (0..<latents.shape[0]).map { index in
            let image = try vae.images(latents: latents.rows(index..<index + 1))[0]
            link.keepAlive()
            return try png(image, requestID: requestID)
        }
    }

    private func png(_ image: RGBImage, requestID: String) throws -> [UInt8] {
        do {
            return [UInt8](try image.pngData())
        } catch {
            throw WireError(.internalError, "\(error)", requestID: requestID)
        }
    }
}
