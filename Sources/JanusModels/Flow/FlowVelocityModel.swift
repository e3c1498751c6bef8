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

/// JanusFlow's generation parts around the LLM: the encoder half (ShallowUViT encoder
/// and its aligner) turns a noisy latent into LLM input rows; the decoder half (the
/// aligner norm, the decoder aligner and the ShallowUViT decoder) turns the LLM's output
/// rows back into a velocity. Field names follow the checkpoint keys (`vision_gen_*`).
public struct FlowVelocityModel: Sendable {
    public let encoder: FlowLatentEncoder
    public let decoder: FlowVelocityDecoder

    public typealias StepInputs = FlowStepInputs

    public var visionGenEncModel: ShallowUViTEncoder { encoder.visionGenEncModel }
    public var visionGenEncAligner: Linear { encoder.visionGenEncAligner }
    public var visionGenDecAlignerNorm: RMSNorm { decoder.visionGenDecAlignerNorm }
    public var visionGenDecAligner: Linear { decoder.visionGenDecAligner }
    public var visionGenDecModel: ShallowUViTDecoder { decoder.visionGenDecModel }
    /// Side of the image-token grid (`gen_grid_size`).
    public var gridSize: Int { encoder.gridSize }
    public var latentChannels: Int { encoder.latentChannels }
    public var latentSize: Int { encoder.latentSize }
    /// Image tokens per image (`gen_image_token_num`).
    public var imageTokenCount: Int { encoder.imageTokenCount }

    /// - Parameter weights: the checkpoint root.
    public init(_ weights: Weights, configuration c: JanusFlowConfiguration) throws {
        encoder = try FlowLatentEncoder(weights, configuration: c)
        decoder = try FlowVelocityDecoder(weights, configuration: c)
    }

    /// The encoder half for latents `[R, C, L, L]` (f32) at timestep `t`.
    public func encode(latents: Tensor, timestep: Float) -> FlowStepInputs {
        encoder.encode(latents: latents, timestep: timestep)
    }

    /// `vision_gen_enc_aligner` over the encoder's grid `[R, g, g, C]` → `[R, g², hidden]`.
    public func imageTokens(grid: Tensor) -> Tensor { encoder.imageTokens(grid: grid) }

    /// The decoder half: the LLM's final-norm output at the image rows `[R, n, hidden]`
    /// → velocity `[R, C, L, L]`.
    public func velocity(imageHidden: Tensor, inputs: FlowStepInputs, inspect: FlowVelocityInspector? = nil) -> Tensor {
        decoder.velocity(imageHidden: imageHidden, inputs: inputs, inspect: inspect)
    }
}
