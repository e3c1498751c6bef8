/// ConvNeXt-V2 Global Response Normalisation on channels-last activations
/// `[N, H, W, C]` (f32), as JanusFlow's `GlobalResponseNorm`:
///
///     gx = ‖x[n, :, :, c]‖₂                 (over H and W, per image and channel)
///     nx = gx / (mean_c gx + eps)
///     y  = bias + (weight · nx + 1) · x      (torch.addcmul)
///
/// `weight` and `bias` hold C values (stored `[1, 1, 1, C]`) in any float dtype. The
/// norms are accumulated in double, so they are at least as accurate as torch's f32
/// reduction.
public func globalResponseNorm(_ x: Tensor, weight: Tensor, bias: Tensor, eps: Float = 1e-6) -> Tensor {
    newOutput(x.shape) { globalResponseNorm(x, weight: weight, bias: bias, eps: eps, into: $0) }
}

/// Global response normalisation into `output`; `output` may be `x` itself (in place).
public func globalResponseNorm(_ x: Tensor, weight: Tensor, bias: Tensor, eps: Float = 1e-6, into output: Tensor) {
    let op = "globalResponseNorm"
    precondition(x.rank == 4, "\(op): input must be NHWC, got \(x.shape)")
    let (batch, plane, channels) = (x.shape[0], x.shape[1] * x.shape[2], x.shape[3])
    precondition(weight.elementCount == channels && bias.elementCount == channels,
                 "\(op): weight \(weight.shape) and bias \(bias.shape) must hold \(channels) values for \(x.shape)")
    let outputs = output.mutableFloats(for: op, expectedShape: x.shape)
    requireSameOrDisjoint(output, x, for: op)
    let input = x.floats(for: op, "input")
    let (weights, biases) = (weight.floats(), bias.floats())
    var sums = [Double](repeating: 0, count: channels)
    for image in 0..<batch {
        let base = image * plane * channels
        for index in sums.indices { sums[index] = 0 }
        for position in 0..<plane {
            let pixel = input + base + position * channels
            for channel in 0..<channels { sums[channel] += Double(pixel[channel]) * Double(pixel[channel]) }
        }
        let norms = sums.map { Float($0.squareRoot()) }
        let mean = Float(norms.reduce(0.0) { $0 + Double($1) } / Double(channels))
        let gains = (0..<channels).map { weights[$0] * (norms[$0] / (mean + eps)) + 1 }
        for position in 0..<plane {
            let offset = base + position * channels
            for channel in 0..<channels {
                outputs[offset + channel] = biases[channel] + gains[channel] * input[offset + channel]
            }
        }
    }
}
