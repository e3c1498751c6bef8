import Foundation
import JanusCheckpoint
import JanusTensor

/// Why latents cannot be decoded. Latents come from files and clients, so these are
/// errors, not crashes.
public enum VAEDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case latentShape(expected: String, got: [Int])
    case latentDType(DType)

    public var description: String {
        switch self {
        case let .latentShape(expected, got): "latents must be \(expected), got \(got)"
        case let .latentDType(dtype): "latents must be floating point, got \(dtype)"
        }
    }
}

/// The decoding half of a diffusers `AutoencoderKL` (the SDXL-VAE of JanusFlow):
/// `vae.decode(z / scaling_factor).sample` = `decoder(post_quant_conv(z / s))`.
///
/// Any latent size works (48×48 → 384 px, 128×128 → 1024 px, non-square too). Images
/// are decoded one at a time, so memory is bounded by one image's activations.
public struct VAEImageDecoder: Sendable {

    public let configuration: AutoencoderKLConfiguration
    /// `post_quant_conv` (1×1); nil when the config sets `use_post_quant_conv: false`.
    public let postQuantConv: Conv2d?
    public let decoder: VAEDecoder

    public var latentChannels: Int { configuration.latentChannels }
    public var upsamplingFactor: Int { configuration.upsamplingFactor }

    /// - Parameter weights: the root of the VAE's state dict.
    public init(weights: Weights, configuration c: AutoencoderKLConfiguration) throws {
        configuration = c
        postQuantConv = c.usePostQuantConv
            ? try Conv2d(weights.scoped("post_quant_conv"), in: c.latentChannels, out: c.latentChannels, kernel: 1)
            : nil
        decoder = try VAEDecoder(weights.scoped("decoder"), configuration: c)
    }

    /// Loads `config.json` and `diffusion_pytorch_model.safetensors` of a VAE directory
    /// (e.g. a download of `stabilityai/sdxl-vae`).
    public static func load(directory: String) throws -> VAEImageDecoder {
        let configuration = try AutoencoderKLConfiguration.load(directory: directory)
        return try VAEImageDecoder(weights: Weights(try Checkpoint.open(directory: directory)),
                                   configuration: configuration)
    }

    /// The latent shape this decoder takes, as text for errors.
    public var expectedLatentShape: String { "[N, \(latentChannels), h, w]" }

    /// Latents `[N, latent_channels, h, w]` (any float dtype) in the flow's space →
    /// `[N, out_channels, h·f, w·f]`, roughly in [-1, 1]. `inspect` sees image 0's stages.
    public func decode(latents: Tensor, inspect: VAEInspector? = nil) throws -> Tensor {
        try validate(latents: latents)
        let factor = upsamplingFactor
        let output = Tensor(zeros: [latents.shape[0], configuration.outChannels,
                                    latents.shape[2] * factor, latents.shape[3] * factor])
        for index in 0..<latents.shape[0] {
            output[index].assign(decodeOne(image(index, of: latents), inspect: index == 0 ? inspect : nil))
        }
        return output
    }

    /// Each image as HWC RGB bytes, as `demo/app_janusflow.py` converts them:
    /// `clip(x, -1, 1)`, then `((x + 1) / 2 · 255).astype(uint8)` — the same bytes as
    /// `rgbBytes(from:)`, which clips after scaling. Decoded and converted one at a time.
    public func decodeToRGB(latents: Tensor) throws -> [[UInt8]] {
        try validate(latents: latents)
        guard configuration.outChannels == 3 else {
            throw VAEDecodeError.latentShape(expected: "latents of a 3-channel (RGB) VAE", got: latents.shape)
        }
        return (0..<latents.shape[0]).map { rgbBytes(from: decodeOne(image($0, of: latents), inspect: nil))[0] }
    }

    /// Refuses latents this decoder cannot take.
    public func validate(latents: Tensor) throws {
        guard latents.rank == 4, latents.shape[1] == latentChannels, latents.shape[2] > 0, latents.shape[3] > 0 else {
            throw VAEDecodeError.latentShape(expected: expectedLatentShape, got: latents.shape)
        }
        guard latents.dtype.isFloatingPoint else { throw VAEDecodeError.latentDType(latents.dtype) }
    }

    private func image(_ index: Int, of latents: Tensor) -> Tensor {
        latents[index].reshaped([1] + latents.shape.dropFirst())
    }

    private func decodeOne(_ z: Tensor, inspect: VAEInspector?) -> Tensor {
        // `z / scaling_factor` as torch divides (not a multiplication by the reciprocal).
        let divisor = configuration.scalingFactor
        var h = Tensor(shape: z.shape, z.floats().map { $0 / divisor })
        inspect?(.scaledLatents, h)
        if let postQuantConv {
            h = postQuantConv(h)
            inspect?(.postQuantConv, h)
        }
        return decoder(h, inspect: inspect)
    }
}
