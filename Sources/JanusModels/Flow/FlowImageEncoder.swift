import JanusTensor

/// JanusFlow's understanding path from pixels to prompt rows: SigLIP
/// (`vision_und_enc_model.vision_tower`), one Linear (`vision_und_enc_aligner`), and a
/// learned row `beg_of_und_embed` that takes the place of each image's
/// `<begin_of_image>` (reference `prepare_inputs_embeds`).
public struct FlowImageEncoder: Sendable {
    public let visionUndEncModel: SigLIPVisionTower
    public let visionUndEncAligner: Linear
    /// `[1, hidden]`.
    public let begOfUndEmbed: Tensor

    /// - Parameter weights: the checkpoint root.
    public init(_ weights: Weights, configuration c: JanusFlowConfiguration) throws {
        visionUndEncModel = try SigLIPVisionTower(weights: weights.scoped("vision_und_enc_model.vision_tower"),
                                                  configuration: c.understandingVision.params)
        visionUndEncAligner = try Linear(weights.scoped("vision_und_enc_aligner"), in: c.understandingAlignerIn,
                                         out: c.understandingAlignerOut)
        begOfUndEmbed = try weights("beg_of_und_embed", shape: [1, c.beginOfUnderstandingDim])
    }

    public var imageSize: Int { visionUndEncModel.configuration.imageSize }
    /// Prompt rows one image fills: `<begin_of_image>` and the image tokens.
    public var rowsPerImage: Int { visionUndEncModel.configuration.numImageTokens + 1 }

    /// `vision_und_enc_aligner(SigLIP(pixels))` `[B, N, hidden]`.
    public func alignedFeatures(pixels: Tensor) throws -> Tensor {
        visionUndEncAligner(try visionUndEncModel.encode(pixels: pixels))
    }

    /// Per image `[beg_of_und_embed, aligned features]`: `[B, N + 1, hidden]`.
    public func embeddings(pixels: Tensor) throws -> Tensor {
        let aligned = try alignedFeatures(pixels: pixels)
        let (count, tokens, hidden) = (aligned.shape[0], aligned.shape[1], aligned.shape[2])
        let begin = begOfUndEmbed.converted(to: .f32)
        let rows = Tensor(zeros: [count, tokens + 1, hidden])
        for image in 0..<count {
            rows[image].rows(0..<1).assign(begin)
            rows[image].rows(1..<tokens + 1).assign(aligned[image])
        }
        return rows
    }
}
