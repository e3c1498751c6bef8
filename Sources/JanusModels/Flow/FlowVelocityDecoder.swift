import JanusTensor

/// The decoder half of one velocity evaluation: `vision_gen_dec_aligner_norm`,
/// `vision_gen_dec_aligner` and `vision_gen_dec_model` (ShallowUViT) turn the LLM's
/// output rows back into a velocity. Kept apart from the encoder half so a pipeline's
/// last stage loads only what it runs.
public struct FlowVelocityDecoder: Sendable {
    public let visionGenDecAlignerNorm: RMSNorm
    public let visionGenDecAligner: Linear
    public let visionGenDecModel: ShallowUViTDecoder
    /// Side of the image-token grid (`gen_grid_size`).
    public let gridSize: Int

    /// - Parameter weights: the checkpoint root.
    public init(_ weights: Weights, configuration c: JanusFlowConfiguration) throws {
        // LlamaRMSNorm(2048, eps=language_config.rms_norm_eps) in the reference.
        visionGenDecAlignerNorm = try RMSNorm(weights.scoped("vision_gen_dec_aligner_norm"),
                                              dimensions: c.decoderAlignerNormDim, eps: c.language.rmsNormEps)
        visionGenDecAligner = try Linear(weights.scoped("vision_gen_dec_aligner"), in: c.decoderAlignerIn,
                                         out: c.decoderAlignerOut)
        visionGenDecModel = try ShallowUViTDecoder(weights.scoped("vision_gen_dec_model"),
                                                   configuration: c.generationDecoder.params)
        gridSize = c.gridSize
    }

    /// The LLM's final-norm output at the image rows `[R, n, hidden]` → velocity
    /// `[R, C, L, L]`.
    public func velocity(imageHidden: Tensor, inputs: FlowStepInputs, inspect: FlowVelocityInspector? = nil) -> Tensor {
        let rows = imageHidden.shape[0]
        let aligned = visionGenDecAligner(visionGenDecAlignerNorm(imageHidden))
        let grid = aligned.reshaped([rows, gridSize, gridSize, aligned.shape[2]])
        inspect?(.decoderInput, grid)
        return visionGenDecModel(grid, skips: inputs.skips, timeEmbedding: inputs.timeEmbedding)
    }

    /// From the LLM's output over one step's rows — `[2B · (1 + n), hidden]`, each row
    /// `t_emb` then its n image tokens, conditional rows first — to the velocities of the
    /// conditional and the unconditional rows, each `[B, C, L, L]`. `norm` is the LLM's
    /// final norm, applied to the image rows only.
    public func velocities(languageOutput output: Tensor, inputs: FlowStepInputs, norm: RMSNorm,
                           inspect: FlowVelocityInspector? = nil) -> (conditional: Tensor, unconditional: Tensor) {
        let rows = inputs.timeEmbedding.shape[0]
        let (rowLength, hidden) = (output.shape[0] / rows, output.shape[1])
        precondition(rows % 2 == 0 && rowLength * rows == output.shape[0],
                     "FlowVelocityDecoder: \(output.shape[0]) output rows for \(rows) CFG rows")
        // The image rows of each row: everything after t_emb.
        let imageRows = Tensor(zeros: [rows, rowLength - 1, hidden])
        for row in 0..<rows {
            imageRows[row].assign(output.rows(row * rowLength + 1..<(row + 1) * rowLength))
        }
        norm(imageRows, into: imageRows)
        inspect?(.imageHidden, imageRows)
        let velocity = velocity(imageHidden: imageRows, inputs: inputs, inspect: inspect)
        let images = rows / 2
        return (velocity.rows(0..<images), velocity.rows(images..<rows))
    }
}
