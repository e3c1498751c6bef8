import JanusTensor

/// The understanding path from pixels to the language model's width:
/// `aligner(vision_model(pixels))` of the reference `prepare_inputs_embeds`.
///
/// The result has one row of `numImageTokens` embeddings per image; splicing them into
/// the prompt (at the `<image_placeholder>` expansion, `images_seq_mask`) is the
/// caller's job.
public struct ImageEncoder: Sendable {
    /// `vision_model.vision_tower`.
    public let visionTower: SigLIPVisionTower
    /// `aligner`: width → hidden size.
    public let aligner: MlpProjector

    /// `weights` scoped at the checkpoint root.
    public init(weights: Weights, configuration: JanusConfiguration) throws {
        visionTower = try SigLIPVisionTower(weights: weights.scoped("vision_model.vision_tower"),
                                            configuration: configuration.vision.params)
        aligner = try MlpProjector(weights.scoped("aligner"), configuration: configuration.aligner.params)
    }

    /// Side of the square pixel input.
    public var imageSize: Int { visionTower.configuration.imageSize }
    /// Embeddings one image contributes to a prompt.
    public var numImageTokens: Int { visionTower.configuration.numImageTokens }

    /// Image embeddings `[B, numImageTokens, hidden]` for normalised pixels
    /// `[B, 3, S, S]`; a wrong shape or dtype throws `VisionError`.
    public func embeddings(pixels: Tensor) throws -> Tensor {
        aligner(try visionTower.encode(pixels: pixels))
    }
}
