import CJanusKernels
import COpenBLAS

/// Largest im2col buffer (floats; 64 MB): bigger images are unfolded a band of output
/// rows at a time (a 3×3 conv over 128 channels at 1024×1024 would need 4.8 GB at once).
let im2colBlockElements = 1 << 24
/// Largest converted bf16/f16 conv weight block (floats; 64 MB). Real conv weights
/// (at most 512×512×3×3) fit in one block, so they are converted once per call.
let convolutionWeightBlockElements = 1 << 24

/// 2-D convolution (`nn.Conv2d`, one group): x `[N, C, H, W]` (f32), weight
/// `[O, C, kh, kw]` and bias `[O]` in any float dtype → `[N, O, Ho, Wo]` with
/// `Ho = (H + 2·padding − kh) / stride + 1` (same for W). Under bf16 `compute` (default:
/// `ComputeMode.processDefault`) stride-1 convolutions multiply bf16-rounded inputs and
/// weights with f32 sums.
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                   compute: ComputeMode? = nil) -> Tensor {
    let geometry = ConvolutionGeometry(input: x, weight: weight, stride: stride, padding: padding)
    return newOutput(geometry.outputShape) {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, into: $0, compute: compute)
    }
}

/// `conv2d` writing into `output` (`[N, O, Ho, Wo]`, separate from `x`).
public func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                   into output: Tensor, compute: ComputeMode? = nil) {
    guard convolutionRunsInBF16(stride: stride, mode: compute ?? .processDefault) else {
        conv2d(x, weight: weight, bias: bias, stride: stride, padding: padding, into: output,
               im2colLimit: im2colBlockElements, weightBlockLimit: convolutionWeightBlockElements)
        return
    }
    conv2dBF16(x, weight: weight, bias: bias, padding: padding, into: output,
               stagingLimit: bf16ConvolutionStagingElements, isa: JANUS_ISA_BEST)
}

/// Whether `conv2d(_:normalizedBy:...)` and `conv2d(upsampling:...)` fit here: stride-1
/// convolutions under bf16 compute (default: `ComputeMode.processDefault`), whose input is
/// staged as bf16 anyway.
public func convolutionTransformsInputWhileStaging(compute: ComputeMode? = nil) -> Bool {
    convolutionRunsInBF16(stride: 1, mode: compute ?? .processDefault)
}

/// The stride-1 convolution of `upsampleNearest2x(x)` under bf16 compute, with the ×2
/// upsampling done as the input is staged: the upsampled activation (4× the input) is
/// never held, and the result is `conv2d(upsampleNearest2x(x), compute: .bf16)`'s, bit
/// for bit. For where `convolutionTransformsInputWhileStaging()`.
public func conv2d(upsampling x: Tensor, weight: Tensor, bias: Tensor?, padding: Int) -> Tensor {
    let shape = upsampledShape(x)
    let geometry = ConvolutionGeometry(inputShape: shape, weight: weight, stride: 1, padding: padding)
    return newOutput(geometry.outputShape) {
        conv2dBF16(x, weight: weight, bias: bias, padding: padding, into: $0,
                   stagingLimit: bf16ConvolutionStagingElements, isa: JANUS_ISA_BEST, upsampling: true)
    }
}

/// The stride-1 convolution of `norm(x)` under bf16 compute, in fresh memory (see the
/// `into:` form).
public func conv2d(_ x: Tensor, normalizedBy norm: InputGroupNorm, weight: Tensor, bias: Tensor?,
                   padding: Int) -> Tensor {
    newOutput(ConvolutionGeometry(input: x, weight: weight, stride: 1, padding: padding).outputShape) {
        conv2d(x, normalizedBy: norm, weight: weight, bias: bias, padding: padding, into: $0)
    }
}

/// The stride-1 convolution of `norm(x)` under bf16 compute, into `output` (or,
/// `accumulating`, added to what `output` holds: a residual), with the GroupNorm applied
/// as the bf16 convolution stages its input: the normalised activation is never held in
/// full, and the result is the one `groupNorm` then `conv2d(compute: .bf16)` (then `add`)
/// give, bit for bit. For where `convolutionTransformsInputWhileStaging()`.
public func conv2d(_ x: Tensor, normalizedBy norm: InputGroupNorm, weight: Tensor, bias: Tensor?, padding: Int,
                   into output: Tensor, accumulating: Bool = false) {
    conv2dBF16(x, weight: weight, bias: bias, padding: padding, into: output, stagingLimit: bf16ConvolutionStagingElements,
               isa: JANUS_ISA_BEST, norm: norm, accumulating: accumulating)
}

/// The stride-1 convolution under bf16 compute (tests pass small staging limits and the
/// portable ISA).
func conv2dBF16(_ x: Tensor, weight: Tensor, bias: Tensor?, padding: Int, into output: Tensor,
                stagingLimit: Int, isa: janus_isa, norm: InputGroupNorm? = nil, upsampling: Bool = false,
                accumulating: Bool = false) {
    let op = "conv2d"
    let g = ConvolutionGeometry(inputShape: upsampling ? upsampledShape(x) : x.shape, weight: weight, stride: 1,
                                padding: padding)
    let outputs = output.mutableFloats(for: op, expectedShape: g.outputShape)
    requireDisjoint(output, x, for: op)
    if let bias {
        precondition(bias.shape == [g.outChannels], "\(op): bias \(bias.shape) does not match weight \(weight.shape)")
    }
    precondition(norm == nil || !upsampling, "\(op): an input norm and upsampling together are not supported")
    guard g.batch > 0, g.outChannels > 0, g.outHeight * g.outWidth > 0 else { return }
    let transform = norm != nil || upsampling ? StagedInput(upsample: upsampling, norm: norm, of: x, for: op) : nil
    bf16Convolution(x, weight: weight, bias: bias, geometry: g, into: outputs, stagingLimit: stagingLimit, isa: isa,
                    transform: transform, accumulate: accumulating)
}

/// The convolution with explicit buffer bounds in floats (tests use small ones to
/// exercise the banded im2col and the blocked weight conversion).
func conv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int,
            into output: Tensor, im2colLimit: Int, weightBlockLimit: Int) {
    let op = "conv2d"
    let g = ConvolutionGeometry(input: x, weight: weight, stride: stride, padding: padding)
    let outputs = output.mutableFloats(for: op, expectedShape: g.outputShape)
    requireDisjoint(output, x, for: op)
    let input = x.floats(for: op, "input")
    let (planeSize, outputPlane) = (g.height * g.width, g.outHeight * g.outWidth)
    let patchLength = g.inChannels * g.kernelHeight * g.kernelWidth
    guard g.batch > 0, g.outChannels > 0, outputPlane > 0 else { return }

    let beta: Float = bias == nil ? 0 : 1
    if let bias {
        precondition(bias.shape == [g.outChannels], "\(op): bias \(bias.shape) does not match weight \(weight.shape)")
        withFloatValues(of: bias, for: op, "bias") { biases in
            for image in 0..<g.batch {
                for channel in 0..<g.outChannels {
                    (outputs + (image * g.outChannels + channel) * outputPlane)
                        .update(repeating: biases[channel], count: outputPlane)
                }
            }
        }
    }
    guard patchLength > 0 else {
        if bias == nil { outputs.update(repeating: 0, count: output.elementCount) }
        return
    }

    // A 1×1 stride-1 unpadded conv is a plain GEMM over the image itself ([C, H·W]).
    let unfoldedRowWidth = patchLength * g.outWidth
    let bandRows = g.isPointwise ? g.outHeight : max(1, min(g.outHeight, im2colLimit / unfoldedRowWidth))
    let columns: UnsafeMutablePointer<Float>? =
        g.isPointwise ? nil : .allocate(capacity: patchLength * bandRows * g.outWidth)
    defer { columns?.deallocate() }
    let (blasK, blasPlane) = (blasDimension(patchLength, for: op), blasDimension(outputPlane, for: op))

    forEachFloatRowBlock(of: weight, rows: g.outChannels, columns: patchLength, maxBlockRows: g.outChannels,
                         maxBlockElements: weightBlockLimit, for: op) { channels, weights in
        for image in 0..<g.batch {
            let source = input + image * g.inChannels * planeSize
            let destination = outputs + (image * g.outChannels + channels.lowerBound) * outputPlane
            for firstRow in Swift.stride(from: 0, to: g.outHeight, by: bandRows) {
                let rows = min(bandRows, g.outHeight - firstRow)
                let bandWidth = rows * g.outWidth
                let unfolded: UnsafePointer<Float>
                let unfoldedStride: Int32
                if let columns {
                    janus_im2col(source, g.inChannels, g.height, g.width, g.kernelHeight, g.kernelWidth,
                                 g.stride, g.stride, g.padding, g.padding, g.outWidth, firstRow, rows, columns)
                    (unfolded, unfoldedStride) = (UnsafePointer(columns), blasDimension(bandWidth, for: op))
                } else {
                    (unfolded, unfoldedStride) = (source + firstRow * g.outWidth, blasPlane)
                }
                // out[channels, band] (+)= W[channels, patch] · unfolded[patch, band]
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                            Int32(channels.count), blasDimension(bandWidth, for: op), blasK,
                            1, weights, blasK, unfolded, unfoldedStride,
                            beta, destination + firstRow * g.outWidth, blasPlane)
            }
        }
    }
}

/// Shapes of one convolution, validated once.
struct ConvolutionGeometry {
    let batch, inChannels, height, width: Int
    let outChannels, kernelHeight, kernelWidth: Int
    let stride, padding: Int
    let outHeight, outWidth: Int

    init(input: Tensor, weight: Tensor, stride: Int, padding: Int) {
        self.init(inputShape: input.shape, weight: weight, stride: stride, padding: padding)
    }

    /// For an input of `inputShape` (one the convolution sees, e.g. upsampled as staged).
    init(inputShape: [Int], weight: Tensor, stride: Int, padding: Int) {
        let op = "conv2d"
        precondition(inputShape.count == 4, "\(op): input must be NCHW, got \(inputShape)")
        precondition(weight.rank == 4 && weight.shape[1] == inputShape[1],
                     "\(op): weight \(weight.shape) is not [O, \(inputShape[1]), kh, kw] for input \(inputShape)")
        precondition(stride > 0 && padding >= 0, "\(op): invalid stride \(stride) or padding \(padding)")
        (batch, inChannels, height, width) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        (outChannels, kernelHeight, kernelWidth) = (weight.shape[0], weight.shape[2], weight.shape[3])
        (self.stride, self.padding) = (stride, padding)
        precondition(kernelHeight > 0 && kernelWidth > 0 &&
                     height + 2 * padding >= kernelHeight && width + 2 * padding >= kernelWidth,
                     "\(op): kernel \(weight.shape) does not fit input \(inputShape) with padding \(padding)")
        outHeight = (height + 2 * padding - kernelHeight) / stride + 1
        outWidth = (width + 2 * padding - kernelWidth) / stride + 1
    }

    var outputShape: [Int] { [batch, outChannels, outHeight, outWidth] }
    var isPointwise: Bool { kernelHeight == 1 && kernelWidth == 1 && stride == 1 && padding == 0 }
}

/// Nearest-neighbour 2× upsampling of the last two axes (`F.interpolate(scale_factor=2,
/// mode="nearest")` on NCHW): `[..., H, W]` → `[..., 2H, 2W]`.
public func upsampleNearest2x(_ x: Tensor) -> Tensor {
    newOutput(upsampledShape(x)) { upsampleNearest2x(x, into: $0) }
}

/// The upsampled tensor into `output` (separate from `x`).
public func upsampleNearest2x(_ x: Tensor, into output: Tensor) {
    let op = "upsampleNearest2x"
    let outputs = output.mutableFloats(for: op, expectedShape: upsampledShape(x))
    requireDisjoint(output, x, for: op)
    let (height, width) = (x.shape[x.rank - 2], x.shape[x.rank - 1])
    let planes = height * width == 0 ? 0 : x.elementCount / (height * width)
    janus_upsample_nearest2x(x.floats(for: op, "input"), outputs, planes, height, width)
}

private func upsampledShape(_ x: Tensor) -> [Int] {
    precondition(x.rank >= 2, "upsampleNearest2x: input must be [..., H, W], got \(x.shape)")
    return x.shape.dropLast(2) + [2 * x.shape[x.rank - 2], 2 * x.shape[x.rank - 1]]
}
