import JanusCheckpoint
import JanusModels
import JanusTensor
import JanusWire
import Logging

/// What an encoder process runs: normalised pixels `[n, 3, S, S]` → the prompt rows of
/// each image `[n, rows, hidden]`.
public protocol PixelEncoder: Sendable {
    /// Side of the square pixel input.
    var imageSize: Int { get }
    func embeddings(pixels: Tensor) throws -> Tensor
}

/// Janus / Janus-Pro: SigLIP + the MLP aligner, N rows per image.
extension ImageEncoder: PixelEncoder {}
/// JanusFlow: SigLIP + its linear aligner, after `beg_of_und_embed`: N + 1 rows per image.
extension FlowImageEncoder: PixelEncoder {}

/// The image encoder (SigLIP + aligner): `EncodeRequest` + `pixels` f32 `[n, 3, S, S]`
/// → `EncodeResult` + `embeddings` f32 `[n, rows, hidden]` with the same request id.
/// Stateless; images are encoded one at a time with heartbeats in between.
public final class EncoderService: WorkerService, @unchecked Sendable {
    public let settings: WorkerSettings
    public let logger: Logger
    public let encoder: any PixelEncoder
    /// Images one request may carry.
    public let maxImages: Int
    private var inFlight = 0

    public init(settings: WorkerSettings, encoder: any PixelEncoder, maxImages: Int = 64, logger: Logger? = nil) {
        self.settings = settings
        self.encoder = encoder
        self.maxImages = max(maxImages, 1)
        self.logger = logger ?? .worker(named: settings.name)
    }

    /// Loads only the vision tower and the aligner (and JanusFlow's `beg_of_und_embed`)
    /// of the model in `settings`.
    public convenience init(settings: WorkerSettings, maxImages: Int = 64, logger: Logger? = nil) throws {
        let directory = settings.modelDirectory
        let encoder: any PixelEncoder
        switch try ModelKind.detect(directory: directory) {
        case .janus:
            encoder = try ImageEncoder(weights: Weights(try Checkpoint.open(directory: directory)),
                                       configuration: try JanusConfiguration.load(directory: directory))
        case .janusFlow:
            encoder = try FlowImageEncoder(Weights(try Checkpoint.open(directory: directory)),
                                           configuration: try JanusFlowConfiguration.load(directory: directory))
        case .vae:
            throw SettingsError("\(directory) is a VAE; an encoder needs a Janus, Janus-Pro or JanusFlow checkpoint")
        }
        self.init(settings: settings, encoder: encoder, maxImages: maxImages, logger: logger)
    }

    public var hello: Hello {
        // One request runs at a time; one more may wait in the socket so the next starts
        // without a round trip to the router.
        Hello(role: .encoder, name: settings.name, node: settings.node, capacity: 2)
    }

    public var load: Heartbeat { Heartbeat(load: UInt32(inFlight)) }

    public func handleRouterMessage(_ message: WireMessage, link: WorkerLink) {
        guard case .encodeRequest = message.body else { return link.send(unexpected(message)) }
        inFlight += 1
        defer { inFlight -= 1 }
        do {
            let embeddings = try encode(try message.tensor(named: "pixels", dtype: .f32, rank: 4),
                                        requestID: message.requestID, link: link)
            link.send(WireMessage(requestID: message.requestID, body: .encodeResult(EncodeResult()),
                                  tensors: ["embeddings": embeddings]))
        } catch {
            link.send(WireError.from(error, requestID: message.requestID))
        }
    }

    private func encode(_ pixels: Tensor, requestID: String, link: WorkerLink) throws -> Tensor {
        let size = encoder.imageSize
        guard (1...maxImages).contains(pixels.shape[0]), pixels.shape.dropFirst() == [3, size, size] else {
            throw WireError(.invalidArgument, "pixels are \(pixels.shape); expected [n, 3, \(size), \(size)] "
                                + "with 1 ≤ n ≤ \(maxImages)", requestID: requestID)
        }
        let count = pixels.shape[0]
        var result: Tensor?
        for image in 0..<count {
            let embeddings = try encoder.embeddings(pixels: pixels.rows(image..<image + 1))
            let output = result ?? Tensor(zeros: [count] + embeddings.shape.dropFirst())
            output[image].assign(embeddings[0])
            result = output
            link.keepAlive()
        }
        // `count` ≥ 1, so the loop ran.
        return result ?? Tensor(zeros: [0])
    }
}
