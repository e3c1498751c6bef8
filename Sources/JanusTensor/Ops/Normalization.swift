import CJanusKernels

/// RMSNorm over the last axis, as HF `LlamaRMSNorm` in f32:
/// `x * rsqrt(mean(x²) + eps) * weight`, weight `[D]` in any float dtype.
public func rmsNorm(_ x: Tensor, weight: Tensor, eps: Float) -> Tensor {
    newOutput(x.shape) { rmsNorm(x, weight: weight, eps: eps, into: $0) }
}

/// RMSNorm into `output`; `output` may be `x` itself (in place).
public func rmsNorm(_ x: Tensor, weight: Tensor, eps: Float, into output: Tensor) {
    let op = "rmsNorm"
    let (input, outputs) = rowwiseOperands(x, into: output, op: op)
    requireAffineShape(weight, length: x.rowLength, role: "weight", input: x, op: op)
    withFloatValues(of: weight, for: op, "weight") { weights in
        janus_rows_rms_norm(input, weights, outputs, x.rowCount, x.rowLength, eps)
    }
}

/// LayerNorm over the last axis (biased variance, as `nn.LayerNorm`); weight and bias
/// `[D]` in any float dtype, or nil for no affine term.
public func layerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float) -> Tensor {
    newOutput(x.shape) { layerNorm(x, weight: weight, bias: bias, eps: eps, into: $0) }
}

/// LayerNorm into `output`; `output` may be `x` itself (in place).
public func layerNorm(_ x: Tensor, weight: Tensor?, bias: Tensor?, eps: Float, into output: Tensor) {
    let op = "layerNorm"
    let (input, outputs) = rowwiseOperands(x, into: output, op: op)
    requireAffineShape(weight, length: x.rowLength, role: "weight", input: x, op: op)
    requireAffineShape(bias, length: x.rowLength, role: "bias", input: x, op: op)
    withOptionalFloatValues(of: weight, for: op, "weight") { weights in
        withOptionalFloatValues(of: bias, for: op, "bias") { biases in
            janus_rows_layer_norm(input, weights, biases, outputs, x.rowCount, x.rowLength, eps)
        }
    }
}

/// GroupNorm on NCHW `[N, C, H, W]` (`nn.GroupNorm`): statistics per batch item and
/// group of `C / groups` channels, then the per-channel affine `[C]` (nil: none).
public func groupNorm(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float,
                      thenSiLU: Bool = false) -> Tensor {
    newOutput(x.shape) {
        groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps, into: $0, thenSiLU: thenSiLU)
    }
}

/// GroupNorm into `output`; `output` may be `x` itself (in place). With `thenSiLU`, the
/// result is `silu(groupNorm(x))` (the decoders' norm-then-activation), in one pass over
/// memory instead of two.
public func groupNorm(_ x: Tensor, groups: Int, weight: Tensor?, bias: Tensor?, eps: Float,
                      into output: Tensor, thenSiLU: Bool = false) {
    let op = "groupNorm"
    precondition(x.rank == 4, "\(op): input must be NCHW, got \(x.shape)")
    let (batch, channels) = (x.shape[0], x.shape[1])
    precondition(groups > 0 && channels % groups == 0,
                 "\(op): \(groups) groups do not divide the \(channels) channels of \(x.shape)")
    requireAffineShape(weight, length: channels, role: "weight", input: x, op: op)
    requireAffineShape(bias, length: channels, role: "bias", input: x, op: op)
    let outputs = output.mutableFloats(for: op, expectedShape: x.shape)
    requireSameOrDisjoint(output, x, for: op)
    let input = x.floats(for: op, "input")
    withOptionalFloatValues(of: weight, for: op, "weight") { weights in
        withOptionalFloatValues(of: bias, for: op, "bias") { biases in
            janus_group_norm(input, weights, biases, outputs, batch, channels,
                             x.shape[2] * x.shape[3], groups, eps, thenSiLU ? 1 : 0)
        }
    }
}

private func requireAffineShape(_ parameter: Tensor?, length: Int, role: String, input: Tensor, op: String) {
    guard let parameter else { return }
    precondition(parameter.shape == [length],
                 "\(op): \(role) \(parameter.shape) does not match [\(length)] for input \(input.shape)")
}

/// Input and output pointers for an op that maps each row to a row of the same length.
func rowwiseOperands(_ x: Tensor, into output: Tensor, op: String)
    -> (input: UnsafePointer<Float>, output: UnsafeMutablePointer<Float>) {
    precondition(x.rank >= 1, "\(op): input must have at least one axis, got \(x.shape)")
    let outputs = output.mutableFloats(for: op, expectedShape: x.shape)
    requireSameOrDisjoint(output, x, for: op)
    return (x.floats(for: op, "input"), outputs)
}
