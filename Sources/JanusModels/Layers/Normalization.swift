import JanusTensor

/// LLaMA RMSNorm: `x / sqrt(mean(x²) + eps) · weight`, statistics in f32.
public struct RMSNorm: Sendable {
    public let weight: Tensor
    public let eps: Float
    /// `weight` widened to aligned f32 once, instead of on every call (twice per layer
    /// per decode step).
    private let floatWeight: Tensor

    public init(_ weights: Weights, dimensions: Int, eps: Float) throws {
        weight = try weights("weight", shape: [dimensions])
        floatWeight = weight.dtype == .f32 ? weight.copy() : weight.converted(to: .f32)
        self.eps = eps
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { rmsNorm(x, weight: floatWeight, eps: eps) }
    public func callAsFunction(_ x: Tensor, into output: Tensor) { rmsNorm(x, weight: floatWeight, eps: eps, into: output) }
}

/// `nn.LayerNorm` over the last axis.
public struct LayerNorm: Sendable {
    public let weight: Tensor
    public let bias: Tensor
    public let eps: Float

    public init(_ weights: Weights, dimensions: Int, eps: Float) throws {
        weight = try weights("weight", shape: [dimensions])
        bias = try weights("bias", shape: [dimensions])
        self.eps = eps
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { layerNorm(x, weight: weight, bias: bias, eps: eps) }
}

/// `nn.GroupNorm` over NCHW activations.
public struct GroupNorm: Sendable {
    public let groups: Int
    public let weight: Tensor
    public let bias: Tensor
    public let eps: Float

    public init(_ weights: Weights, groups: Int, channels: Int, eps: Float) throws {
        self.groups = groups
        weight = try weights("weight", shape: [channels])
        bias = try weights("bias", shape: [channels])
        self.eps = eps
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps)
    }

    /// `silu(self(x))` in one pass over memory.
    public func thenSiLU(_ x: Tensor) -> Tensor {
        groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps, thenSiLU: true)
    }

    /// This norm (then SiLU) for a convolution to apply as it stages its input.
    public func applied(thenSiLU: Bool) -> InputGroupNorm {
        InputGroupNorm(groups: groups, weight: weight, bias: bias, eps: eps, silu: thenSiLU)
    }
}
