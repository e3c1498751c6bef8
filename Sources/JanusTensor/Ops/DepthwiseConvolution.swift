/// Depthwise 2-D convolution on channels-last activations (`nn.Conv2d(C, C, k,
/// groups=C)` applied to an NHWC tensor): x `[N, H, W, C]` (f32), weight `[C, 1, k, k]`
/// and bias `[C]` in any float dtype, stride 1, zero padding → `[N, Ho, Wo, C]` with
/// `Ho = H + 2·padding − k + 1`.
///
/// Channels-last keeps the innermost loop over contiguous channels (the ConvNeXt blocks
/// of JanusFlow's ShallowUViT run a 7×7 depthwise conv between channel-wise linears, so
/// their activations stay NHWC throughout).
public func depthwiseConv2dChannelsLast(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, padding: Int) -> Tensor {
    newOutput(depthwiseOutputShape(x, weight: weight, padding: padding)) {
        depthwiseConv2dChannelsLast(x, weight: weight, bias: bias, padding: padding, into: $0)
    }
}

/// The depthwise convolution into `output` (`[N, Ho, Wo, C]`, separate from `x`).
public func depthwiseConv2dChannelsLast(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, padding: Int,
                                        into output: Tensor) {
    let op = "depthwiseConv2dChannelsLast"
    let shape = depthwiseOutputShape(x, weight: weight, padding: padding)
    let outputs = output.mutableFloats(for: op, expectedShape: shape)
    requireDisjoint(output, x, for: op)
    let input = x.floats(for: op, "input")
    let (batch, height, width, channels) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (kernelHeight, kernelWidth) = (weight.shape[2], weight.shape[3])
    let (outHeight, outWidth) = (shape[1], shape[2])
    if let bias {
        precondition(bias.shape == [channels], "\(op): bias \(bias.shape) does not match \(channels) channels")
    }
    // Taps laid out [kh, kw, C] so the inner loop reads weights contiguously too.
    let taps = kernelHeight * kernelWidth
    var tapWeights = [Float](repeating: 0, count: taps * channels)
    withFloatValues(of: weight, for: op, "weight") { w in
        for channel in 0..<channels {
            for tap in 0..<taps { tapWeights[tap * channels + channel] = w[channel * taps + tap] }
        }
    }
    let biases = bias.map { $0.floats() } ?? [Float](repeating: 0, count: channels)
    tapWeights.withUnsafeBufferPointer { tapWeights in
        biases.withUnsafeBufferPointer { biases in
            for image in 0..<batch {
                let source = input + image * height * width * channels
                for row in 0..<outHeight {
                    for column in 0..<outWidth {
                        let destination = outputs + ((image * outHeight + row) * outWidth + column) * channels
                        destination.update(from: biases.baseAddress!, count: channels)
                        for kh in 0..<kernelHeight {
                            let inputRow = row + kh - padding
                            guard inputRow >= 0 && inputRow < height else { continue }
                            for kw in 0..<kernelWidth {
                                let inputColumn = column + kw - padding
                                guard inputColumn >= 0 && inputColumn < width else { continue }
                                let pixel = source + (inputRow * width + inputColumn) * channels
                                let tap = tapWeights.baseAddress! + (kh * kernelWidth + kw) * channels
                                for channel in 0..<channels { destination[channel] += pixel[channel] * tap[channel] }
                            }
                        }
                    }
                }
            }
        }
    }
}

private func depthwiseOutputShape(_ x: Tensor, weight: Tensor, padding: Int) -> [Int] {
    let op = "depthwiseConv2dChannelsLast"
    precondition(x.rank == 4, "\(op): input must be NHWC, got \(x.shape)")
    let channels = x.shape[3]
    precondition(weight.rank == 4 && weight.shape[0] == channels && weight.shape[1] == 1,
                 "\(op): weight \(weight.shape) is not [\(channels), 1, kh, kw] for input \(x.shape)")
    precondition(padding >= 0, "\(op): negative padding \(padding)")
    let outHeight = x.shape[1] + 2 * padding - weight.shape[2] + 1
    let outWidth = x.shape[2] + 2 * padding - weight.shape[3] + 1
    precondition(outHeight > 0 && outWidth > 0,
                 "\(op): kernel \(weight.shape) does not fit input \(x.shape) with padding \(padding)")
    return [x.shape[0], outHeight, outWidth, channels]
}
