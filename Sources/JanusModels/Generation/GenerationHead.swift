import JanusTensor

/// `gen_head` (the reference's `vision_head`): hidden state → image-codebook logits,
/// `Linear → GELU → Linear`.
public struct GenerationHead: Sendable {
    public let outputMlpProjector: Linear
    public let visionHead: Linear

    /// - Parameter weights: scoped at `gen_head`.
    public init(_ weights: Weights, configuration c: GenerationHeadConfiguration) throws {
        // Read at every image token, like the decoder layers: resident, but as stored
        // (`--weights int8` is for the language model's layers).
        let weights = weights.loadingLinears(as: .stored)
        outputMlpProjector = try Linear(weights.scoped("output_mlp_projector"), in: c.nEmbed, out: c.imageTokenEmbed)
        visionHead = try Linear(weights.scoped("vision_head"), in: c.imageTokenEmbed, out: c.imageTokenSize)
    }

    public func callAsFunction(_ hidden: Tensor) -> Tensor {
        let projected = outputMlpProjector(hidden)
        gelu(projected, into: projected)
        return visionHead(projected)
    }
}

/// `gen_embed` + `gen_aligner` (`prepare_gen_img_embeds`): a sampled image token back
/// into the language model's input space.
public struct ImageTokenEmbedding: Sendable {
    /// `gen_embed.weight` `[codebook, codebook_dim]`.
    public let genEmbed: Tensor
    public let genAligner: MlpProjector

    /// - Parameter weights: the checkpoint root.
    public init(_ weights: Weights, configuration c: JanusConfiguration) throws {
        let vq = c.genVision.params
        genEmbed = try weights("gen_embed.weight", shape: [vq.codebookSize, vq.codebookDim])
        genAligner = try MlpProjector(weights.scoped("gen_aligner"), configuration: c.genAligner.params)
    }

    public func callAsFunction(_ tokens: [Int]) -> Tensor {
        genAligner(embedding(ids: tokens, table: genEmbed))
    }
}
