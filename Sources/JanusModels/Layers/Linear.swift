import JanusTensor

/// `nn.Linear`: `y = x Wᵀ + b`, weight `[out, in]` in its stored dtype.
public struct Linear: Sendable {
    public let weight: Tensor
    public let bias: Tensor?

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    public init(_ weights: Weights, in inFeatures: Int, out outFeatures: Int, bias hasBias: Bool = true) throws {
        weight = try weights("weight", shape: [outFeatures, inFeatures])
        bias = hasBias ? try weights("bias", shape: [outFeatures]) : nil
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        linear(x, weight: weight, bias: bias)
    }

    public func callAsFunction(_ x: Tensor, into output: Tensor) {
        linear(x, weight: weight, bias: bias, into: output)
    }
}

/// `nn.Conv2d` over NCHW activations, weight `[out, in, k, k]`.
public struct Conv2d: Sendable {
    public let weight: Tensor
    public let bias: Tensor?
    public let stride: Int
    public let padding: Int

    public init(_ weights: Weights, in inChannels: Int, out outChannels: Int, kernel: Int,
                stride: Int = 1, padding: Int = 0, bias hasBias: Bool = true) throws {
        weight = try weights("weight", shape: [outChannels, inChannels, kernel, kernel])
        bias = hasBias ? try weights("bias", shape: [outChannels]) : nil
        self.stride = stride
        self.padding = padding
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding)
    }
}
