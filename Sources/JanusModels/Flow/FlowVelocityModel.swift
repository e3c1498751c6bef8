import JanusTensor

/// A point of one velocity evaluation whose activation can be inspected (tests compare
/// them with the reference's intermediates).
public enum FlowVelocityStage: Sendable, Hashable {
    /// `t_emb` `[R, hidden]`.
    case timeEmbedding
    /// The rows after the cached prompt prefix: `[t_emb, vision_gen_enc_aligner(z_emb)]`
    /// `[R, 1 + n, hidden]`.
    case languageInput
    /// The LLM's last hidden state (after its final norm) at the image rows `[R, n, hidden]`.
    case imageHidden
    /// `vision_gen_dec_aligner(vision_gen_dec_aligner_norm(·))` as a grid `[R, g, g, C]`.
    case decoderInput
}

public typealias FlowVelocityInspector = (FlowVelocityStage, Tensor) -> Void

/// JanusFlow's generation parts around the LLM: the ShallowUViT encoder and its aligner
/// turn a noisy latent into LLM input rows; the aligner norm, the decoder aligner and
/// the ShallowUViT decoder turn the LLM's output rows back into a velocity. Field names
/// follow the checkpoint keys (`vision_gen_*`).
public struct FlowVelocityModel: Sendable {
    public let visionGenEncModel: ShallowUViTEncoder
    public let visionGenEncAligner: Linear
    public let visionGenDecAlignerNorm: RMSNorm
    public let visionGenDecAligner: Linear
    public let visionGenDecModel: ShallowUViTDecoder
    /// Side of the image-token grid (`gen_grid_size`).
    public let gridSize: Int
    public let latentChannels: Int
    public let latentSize: Int

    /// Image tokens per image (`gen_image_token_num`).
    public var imageTokenCount: Int { gridSize * gridSize }

    /// - Parameter weights: the checkpoint root.
    public init(_ weights: Weights, configuration c: JanusFlowConfiguration) throws {
        visionGenEncModel = try ShallowUViTEncoder(weights.scoped("vision_gen_enc_model"),
                                                   configuration: c.generationEncoder.params)
        visionGenEncAligner = try Linear(weights.scoped("vision_gen_enc_aligner"), in: c.encoderAlignerIn,
                                         out: c.encoderAlignerOut)
        // LlamaRMSNorm(2048, eps=language_config.rms_norm_eps) in the reference.
        visionGenDecAlignerNorm = try RMSNorm(weights.scoped("vision_gen_dec_aligner_norm"),
                                              dimensions: c.decoderAlignerNormDim, eps: c.language.rmsNormEps)
        visionGenDecAligner = try Linear(weights.scoped("vision_gen_dec_aligner"), in: c.decoderAlignerIn,
                                         out: c.decoderAlignerOut)
        visionGenDecModel = try ShallowUViTDecoder(weights.scoped("vision_gen_dec_model"),
                                                   configuration: c.generationDecoder.params)
        gridSize = c.gridSize
        latentChannels = c.latentChannels
        latentSize = c.latentSize
    }

    /// What the encoder half of a velocity evaluation hands to the LLM and the decoder.
    public struct StepInputs: Sendable {
        /// LLM input rows `[R, 1 + n, hidden]`: `t_emb` (in the slot of the prompt's
        /// dropped last token), then the aligned image tokens.
        public let languageRows: Tensor
        /// `t_emb` `[R, hidden]`, FiLM conditioning of the decoder.
        public let timeEmbedding: Tensor
        /// The encoder skips (NHWC), handed to the decoder.
        public let skips: [Tensor]
    }

    /// The encoder half for latents `[R, C, L, L]` (f32) at timestep `t`:
    /// `z_emb, t_emb, hs = vision_gen_enc_model(z, t)`, `vision_gen_enc_aligner(z_emb)`.
    public func encode(latents: Tensor, timestep: Float) -> StepInputs {
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
        return StepInputs(languageRows: languageRows, timeEmbedding: encoded.timeEmbedding, skips: encoded.skips)
    }

    /// `vision_gen_enc_aligner` over the encoder's grid `[R, g, g, C]` → `[R, g², hidden]`
    /// (`z_emb.view(B, C, -1).permute(0, 2, 1)` is the channels-last grid, flattened).
    public func imageTokens(grid: Tensor) -> Tensor {
        visionGenEncAligner(grid.reshaped([grid.shape[0], grid.shape[1] * grid.shape[2], grid.shape[3]]))
    }

    /// The decoder half: the LLM's final-norm output at the image rows `[R, n, hidden]`
    /// → velocity `[R, C, L, L]`.
    public func velocity(imageHidden: Tensor, inputs: StepInputs, inspect: FlowVelocityInspector? = nil) -> Tensor {
        let rows = imageHidden.shape[0]
        let aligned = visionGenDecAligner(visionGenDecAlignerNorm(imageHidden))
        let grid = aligned.reshaped([rows, gridSize, gridSize, aligned.shape[2]])
        inspect?(.decoderInput, grid)
        return visionGenDecModel(grid, skips: inputs.skips, timeEmbedding: inputs.timeEmbedding)
    }
}

extension FlowVelocityModel.StepInputs {
    /// These inputs twice over, `[x; x]` along the rows: the conditional and the
    /// unconditional rows of classifier-free guidance see the same latent and timestep,
    /// so the encoder runs once per image (the reference encodes `cat([z, z])`; each
    /// row's result does not depend on the others).
    public func duplicated() -> FlowVelocityModel.StepInputs {
        FlowVelocityModel.StepInputs(languageRows: stackedTwice(languageRows), timeEmbedding: stackedTwice(timeEmbedding),
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
