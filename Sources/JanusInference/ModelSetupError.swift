import JanusModels

/// A model directory (or a pairing of two) that cannot do the job asked of it, said
/// before any weights are read.
public enum ModelSetupError: Error, Equatable, CustomStringConvertible {
    /// `directory` holds `found` where `expected` was needed.
    case wrongKind(directory: String, found: ModelKind, expected: String)
    /// A VAE was given for a checkpoint that decodes VQ tokens itself.
    case vaeForVQModel(model: String, vae: String)
    /// A JanusFlow checkpoint produces latents; it needs a VAE to make pixels.
    case flowWithoutVAE(model: String)
    /// The VAE decodes latents of another width than the flow model produces.
    case latentChannelMismatch(model: String, modelChannels: Int, vae: String, vaeChannels: Int)

    public var description: String {
        switch self {
        case let .wrongKind(directory, found, expected):
            "\(directory) is \(found), expected \(expected)"
        case let .vaeForVQModel(model, vae):
            "\(model) is a Janus / Janus-Pro checkpoint: it decodes its own VQ image tokens and takes no VAE "
                + "(\(vae) is for JanusFlow checkpoints)"
        case let .flowWithoutVAE(model):
            "\(model) is a JanusFlow checkpoint: it generates SDXL-VAE latents, so it needs a VAE directory "
                + "(e.g. a download of stabilityai/sdxl-vae) to turn them into pixels"
        case let .latentChannelMismatch(model, modelChannels, vae, vaeChannels):
            "\(model) generates latents with \(modelChannels) channels but the VAE \(vae) decodes "
                + "\(vaeChannels)-channel latents (config.json latent_channels)"
        }
    }
}
