import JanusTensor

/// The encoder half of one velocity evaluation: `vision_gen_enc_model` (ShallowUViT) and
/// `vision_gen_enc_aligner` turn noisy latents and their timestep into LLM input rows.
/// Kept apart from the decoder half so a pipeline's first stage loads only this.
public struct FlowLatentEncoder: Sendable {
    public let visionGenEncModel: ShallowUViTEncoder
    public let visionGenEncAligner: Linear
    public let latentChannels: Int
    public let latentSize: Int
    /// Side of the image-token grid (`gen_grid_size`).
    public let gridSize: Int

    /// Image tokens per image (`gen_image_token_num`).
    public var imageTokenCount: Int { gridSize * gridSize }
    /// One image's latents, `[C, L, L]`.
    public var latentShape: [Int] { [latentChannels, latentSize, latentSize] }

    /// - Parameter weights: the checkpoint root.
    public init(_ weights: Weights, configuration c: JanusFlowConfiguration) throws {
        visionGenEncModel = try ShallowUViTEncoder(weights.scoped("vision_gen_enc_model"),
                                                   configuration: c.generationEncoder.params)
        visionGenEncAligner = try Linear(weights.scoped("vision_gen_enc_aligner"), in: c.encoderAlignerIn,
                                         out: c.encoderAlignerOut)
        latentChannels = c.latentChannels
        latentSize = c.latentSize
        gridSize = c.gridSize
    }

    /// For latents `[R, C, L, L]` (f32) at timestep `t`:
    /// `z_emb, t_emb, hs = vision_gen_enc_model(z, t)`, `vision_gen_enc_aligner(z_emb)`.
    public func encode(latents: Tensor, timestep: Float) -> FlowStepInputs {
        let rows = latents.shape[0]
        let encoded = visionGenEncModel(latents, timesteps: [Float](repeating: timestep, count: rows))
        let hidden = encoded.timeEmbedding.shape[1]
        let tokens = imageTokens(grid: encoded.grid)
        let count = tokens.shape[1]
        let languageRows = Tensor(zeros: [rows, 1 + count, hidden])
        for row in 0..<rows {
            languageRows[row].rows(0..<1).assign(encoded.timeEmbedding[row])
            languageRows[row].rows(1..<1 + count).assign(tokens[row])
        }
        return FlowStepInputs(languageRows: languageRows, timeEmbedding: encoded.timeEmbedding, skips: encoded.skips)
    }

    /// `vision_gen_enc_aligner` over the encoder's grid `[R, g, g, C]` → `[R, g², hidden]`
    /// (`z_emb.view(B, C, -1).permute(0, 2, 1)` is the channels-last grid, flattened).
    public func imageTokens(grid: Tensor) -> Tensor {
        visionGenEncAligner(grid.reshaped([grid.shape[0], grid.shape[1] * grid.shape[2], grid.shape[3]]))
    }
}

/// What the encoder half of a velocity evaluation hands to the LLM and the decoder.
public struct FlowStepInputs: Sendable {
    /// LLM input rows `[R, 1 + n, hidden]`: `t_emb` (in the slot of the prompt's dropped
    /// last token), then the aligned image tokens.
    public let languageRows: Tensor
    /// `t_emb` `[R, hidden]`, FiLM conditioning of the decoder.
    public let timeEmbedding: Tensor
    /// The encoder skips (NHWC), handed to the decoder.
    public let skips: [Tensor]

    public init(languageRows: Tensor, timeEmbedding: Tensor, skips: [Tensor]) {
        self.languageRows = languageRows
        self.timeEmbedding = timeEmbedding
        self.skips = skips
    }

    /// These inputs twice over, `[x; x]` along the rows: the conditional and the
    /// unconditional rows of classifier-free guidance see the same latent and timestep,
    /// so the encoder runs once per image (the reference encodes `cat([z, z])`; each
    /// row's result does not depend on the others).
    public func duplicated() -> FlowStepInputs {
        FlowStepInputs(languageRows: stackedTwice(languageRows), timeEmbedding: stackedTwice(timeEmbedding),
                       skips: skips.map(stackedTwice))
    }
}

/// `torch.cat([x, x])` along the first axis.
func stackedTwice(_ x: Tensor) -> Tensor {
    let count = x.shape[0]
    let result = Tensor(zeros: [2 * count] + x.shape.dropFirst())
    result.rows(0..<count).assign(x)
    result.rows(count..<2 * count).assign(x)
    return result
}
