import Foundation
import JanusImage
import JanusModels
import JanusTensor
import JanusText

/// Text to images with JanusFlow in one process: prompt templating, the rectified-flow
/// ODE over the JanusFlow checkpoint, then the SDXL-VAE decode, as
/// `demo/app_janusflow.py` does it (without its final LANCZOS resize to 1024 px).
public struct FlowTextToImage: Sendable {
    public let model: JanusFlowModel
    public let prompts: PromptBuilder
    public let vae: VAEImageDecoder
    public let padID: Int

    public init(model: JanusFlowModel, prompts: PromptBuilder, vae: VAEImageDecoder) throws {
        self.model = model
        self.prompts = prompts
        self.vae = vae
        padID = try prompts.padID
    }

    /// Loads a JanusFlow checkpoint and a diffusers VAE directory, refusing wrong
    /// pairings (a VQ checkpoint, something else than a VAE, unequal latent channels)
    /// before any weights are read.
    public static func load(model modelDirectory: String, vae vaeDirectory: String) throws -> FlowTextToImage {
        try checkPairing(model: modelDirectory, vae: vaeDirectory)
        return try FlowTextToImage(model: JanusFlowModel.load(directory: modelDirectory),
                                   prompts: PromptBuilder.loadJanusFlow(directory: modelDirectory),
                                   vae: VAEImageDecoder.load(directory: vaeDirectory))
    }

    /// The checks of `load`, from the two config.json files alone.
    public static func checkPairing(model modelDirectory: String, vae vaeDirectory: String) throws {
        switch try ModelKind.detect(directory: modelDirectory) {
        case .janusFlow: break
        case .janus: throw ModelSetupError.vaeForVQModel(model: modelDirectory, vae: vaeDirectory)
        case .vae:
            throw ModelSetupError.wrongKind(directory: modelDirectory, found: .vae, expected: "a JanusFlow checkpoint")
        }
        let vaeKind = try ModelKind.detect(directory: vaeDirectory)
        guard vaeKind == .vae else {
            throw ModelSetupError.wrongKind(directory: vaeDirectory, found: vaeKind,
                                            expected: "a diffusers AutoencoderKL directory (the SDXL-VAE)")
        }
        let modelChannels = try JanusFlowConfiguration.load(directory: modelDirectory).latentChannels
        let vaeChannels = try AutoencoderKLConfiguration.load(directory: vaeDirectory).latentChannels
        guard modelChannels == vaeChannels else {
            throw ModelSetupError.latentChannelMismatch(model: modelDirectory, modelChannels: modelChannels,
                                                        vae: vaeDirectory, vaeChannels: vaeChannels)
        }
    }

    /// The demo's prompt: the sft template with an empty system prompt, then `<begin_of_image>`.
    public func promptIDs(_ text: String) -> [Int] { prompts.generationPromptIDs(text) }

    /// Final latents `[count, C, L, L]` for `text`.
    public func generate(prompt text: String, count: Int = 1, cfgWeight: Float = FlowGenerationRequest.defaultCFGWeight,
                         steps: Int = FlowGenerationRequest.defaultSteps, seed: UInt64,
                         onStep: (FlowGenerationStep) -> Void = { _ in }) throws -> Tensor {
        try model.sampler(padID: padID).generate(
            FlowGenerationRequest(promptIDs: promptIDs(text), count: count, cfgWeight: cfgWeight, steps: steps, seed: seed),
            onStep: onStep)
    }

    /// Decodes latents with the VAE, one image at a time, into 8-bit RGB pictures.
    public func images(latents: Tensor) throws -> [RGBImage] {
        try vae.images(latents: latents)
    }
}

extension VAEImageDecoder {
    /// `decodeToRGB` as pictures (`[N, C, h, w]` latents → N images of `w·f × h·f`).
    public func images(latents: Tensor) throws -> [RGBImage] {
        try decodeToRGB(latents: latents).map {
            RGBImage(width: latents.shape[3] * upsamplingFactor, height: latents.shape[2] * upsamplingFactor, pixels: $0)
        }
    }
}
