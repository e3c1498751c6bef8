import JanusCheckpoint
import JanusImage
import JanusModels
import JanusTensor
import JanusWire
import Logging

/// The image decoder (VQ-16): `DecodeRequest {grid_height, grid_width}` + `codes` i64
/// `[B, h·w]` → `DecodeResult` + `png.0 … png.{B−1}` u8 PNG files. Stateless; images are
/// decoded one at a time (memory stays one image's activations) with heartbeats between.
public final class DecoderService: WorkerService, @unchecked Sendable {
    public let settings: WorkerSettings
    public let logger: Logger
    public let decoder: VQImageDecoder
    /// Largest grid side in tokens: 64 tokens are 1024 px with VQ-16, whose activations
    /// peak at a few 512 MB tensors; larger grids are refused rather than risked.
    public let maxGridSide: Int
    /// Images one request may carry.
    public let maxImages: Int
    private var inFlight = 0

    public init(settings: WorkerSettings, decoder: VQImageDecoder, maxGridSide: Int = 64, maxImages: Int = 64,
                logger: Logger? = nil) {
        self.settings = settings
        self.decoder = decoder
        self.maxGridSide = max(maxGridSide, 1)
        self.maxImages = max(maxImages, 1)
        self.logger = logger ?? .worker(named: settings.name)
    }

    /// Loads only `gen_vision_model` (its decoder half) of the model in `settings`.
    public convenience init(settings: WorkerSettings, maxGridSide: Int = 64, maxImages: Int = 64,
                            logger: Logger? = nil) throws {
        let configuration = try JanusConfiguration.load(directory: settings.modelDirectory)
        let weights = Weights(try Checkpoint.open(directory: settings.modelDirectory))
        self.init(settings: settings,
                  decoder: try VQImageDecoder(weights: weights.scoped("gen_vision_model"),
                                              configuration: configuration.genVision.params),
                  maxGridSide: maxGridSide, maxImages: maxImages, logger: logger)
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
            let codes = try message.tensor(named: "codes", dtype: .i64, rank: 2)
            let pngs = try decode(codes, request: request, requestID: message.requestID, link: link)
            let tensors = pngs.enumerated().map { index, png in
                NamedTensor(name: "png.\(index)", tensor: Tensor(shape: [png.count], png))
            }
            link.send(WireMessage(header: WireHeader(requestID: message.requestID, body: .decodeResult(DecodeResult())),
                                  tensors: tensors))
        } catch {
            link.send(WireError.from(error, requestID: message.requestID))
        }
    }

    private func decode(_ codes: Tensor, request: DecodeRequest, requestID: String,
                        link: WorkerLink) throws -> [[UInt8]] {
        let (height, width) = (Int(request.gridHeight), Int(request.gridWidth))
        guard (1...maxGridSide).contains(height), (1...maxGridSide).contains(width) else {
            throw WireError(.invalidArgument, "grid \(height)×\(width) is outside 1…\(maxGridSide) tokens per side",
                            requestID: requestID)
        }
        let count = codes.shape[0]
        guard (1...maxImages).contains(count), codes.shape[1] == height * width else {
            throw WireError(.invalidArgument, "codes are \(codes.shape); expected [B, \(height * width)] "
                                + "for a \(height)×\(width) grid with 1 ≤ B ≤ \(maxImages)", requestID: requestID)
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
            do {
                return [UInt8](try RGBImage(width: side.width, height: side.height, pixels: pixels).pngData())
            } catch {
                throw WireError(.internalError, "\(error)", requestID: requestID)
            }
        }
    }
}
