import JanusTensor

/// The reference `MlpProjector` (`aligner`, `gen_aligner`): for `mlp_gelu` with depth d,
/// `Linear → (GELU → Linear) × (d−1)`, stored under `layers.0`, `layers.2`, … (the odd
/// indices are the parameter-free GELUs of the `nn.Sequential`).
public struct MlpProjector: Sendable {
    public let layers: [Linear]

    public init(_ weights: Weights, configuration: ProjectorConfiguration) throws {
        let c = configuration
        switch c.kind {
        case .identity:
            layers = []
        case .linear:
            layers = [try Linear(weights.scoped("layers"), in: c.inputDim, out: c.nEmbed)]
        case .mlpGELU:
            var stack = [try Linear(weights.scoped("layers.0"), in: c.inputDim, out: c.nEmbed)]
            for depth in 1..<c.depth {
                stack.append(try Linear(weights.scoped("layers.\(2 * depth)"), in: c.nEmbed, out: c.nEmbed))
            }
            layers = stack
        }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        var hidden = x
        for (index, layer) in layers.enumerated() {
            if index > 0 { gelu(hidden, into: hidden) }
            hidden = layer(hidden)
        }
        return hidden
    }
}
