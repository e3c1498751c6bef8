import JanusTensor

/// `nn.Linear`: `y = x Wᵀ + b`, weight `[out, in]` in its stored dtype, or quantised to
/// int8 at load when the weights ask for it (`Weights.linearFormat`).
public struct Linear: Sendable {
    /// The weight as the layer multiplies by it.
    public enum Storage: Sendable {
        case float(Tensor)
        case int8(Int8BlockWeight)
    }

    public let storage: Storage
    public let bias: Tensor?

    /// The weight as a float tensor: the stored one, or the int8 one dequantised (a copy).
    public var weight: Tensor {
        switch storage {
        case .float(let tensor): tensor
        case .int8(let quantized): quantized.dequantized()
        }
    }

    public var inFeatures: Int { shape[1] }
    public var outFeatures: Int { shape[0] }

    private var shape: [Int] {
        switch storage {
        case .float(let tensor): tensor.shape
        case .int8(let quantized): quantized.shape
        }
    }

    public init(_ weights: Weights, in inFeatures: Int, out outFeatures: Int, bias hasBias: Bool = true) throws {
        self.init(stored: try weights("weight", shape: [outFeatures, inFeatures]),
                  bias: hasBias ? try weights("bias", shape: [outFeatures]) : nil, weights: weights)
    }

    /// The layer over `stored` (the tensor `weights("weight")`), held as `weights` asks.
    init(stored: Tensor, bias: Tensor?, weights: Weights) {
        if weights.linearFormat == .int8 && Int8BlockWeight.canQuantize(stored) {
            storage = .int8(Int8BlockWeight(quantizing: stored))
            // Only the int8 copy is kept: the stored weight's memory (or resident
            // checkpoint pages) can go, so peak RSS holds int8, not both.
            weights.release("weight", tensor: stored)
        } else if weights.residentLinears && !stored.isWritable {
            // A view into a mapped checkpoint sits in 4 KiB page-cache pages, which a
            // decode step streams at half the rate of the huge pages a copy gets
            // (`Tensor.copy`); the checkpoint's pages then leave the resident set.
            storage = .float(stored.copy())
            weights.release("weight", tensor: stored)
        } else {
            storage = .float(stored)
        }
        self.bias = bias
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch storage {
        case .float(let tensor): linear(x, weight: tensor, bias: bias)
        case .int8(let quantized): linear(x, weight: quantized, bias: bias)
        }
    }

    public func callAsFunction(_ x: Tensor, into output: Tensor) {
        switch storage {
        case .float(let tensor): linear(x, weight: tensor, bias: bias, into: output)
        case .int8(let quantized): linear(x, weight: quantized, bias: bias, into: output)
        }
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
