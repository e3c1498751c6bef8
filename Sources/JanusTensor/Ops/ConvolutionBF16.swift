import CJanusKernels

/// Largest staging buffer of the bf16 convolution (uint32 pairs; 16 MB): bigger inputs
/// run a band of output rows at a time, so a 1024×1024 decode needs no image-sized copy.
let bf16ConvolutionStagingElements = 1 << 22

/// Whether `conv2d` runs as the bf16 implicit GEMM: under bf16 compute, for stride-1
/// convolutions (every convolution of the VQ-16 and SDXL-VAE decoders). Others keep the
/// f32 im2col + sgemm path.
func convolutionRunsInBF16(stride: Int, mode: ComputeMode) -> Bool {
    mode == .bf16 && stride == 1
}

/// The convolution on bf16 pairs with f32 sums (`janus_conv_bf16`): weights packed once
/// per call, the input staged band by band (through `transform` when given: `g` is then
/// the geometry of the transformed input), added to what `outputs` holds with `accumulate`.
func bf16Convolution(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry g: ConvolutionGeometry,
                     into outputs: UnsafeMutablePointer<Float>, stagingLimit: Int, isa: janus_isa,
                     transform: StagedInput? = nil, accumulate: Bool = false) {
    let op = "conv2d"
    let input = x.floats(for: op, "input")
    // Both work buffers come from the tensor pool: reused call after call (a fresh
    // multi-MB malloc is faulted in every time, and glibc keeps freed ones resident).
    let packedBuffer = Tensor(uninitialized: [janus_conv_bf16_weight_count(g.outChannels, g.inChannels,
                                                                             g.kernelHeight, g.kernelWidth)], dtype: .i32)
    let packed = packedBuffer.mutableWords
    withFloatValues(of: weight, for: op, "weight") { weights in
        janus_conv_bf16_pack_weights(weights, g.outChannels, g.inChannels, g.kernelHeight, g.kernelWidth, packed)
    }
    func stagingCount(rows: Int) -> Int {
        janus_conv_bf16_staging_count(g.inChannels, g.width, g.kernelHeight, g.kernelWidth, g.padding, rows)
    }
    var bandRows = g.outHeight
    while bandRows > 1 && stagingCount(rows: bandRows) > stagingLimit { bandRows = (bandRows + 1) / 2 }
    let stagingBuffer = Tensor(uninitialized: [stagingCount(rows: bandRows)], dtype: .i32)
    let staging = stagingBuffer.mutableWords
    let planeSize = x.shape[2] * x.shape[3], outputSize = g.outChannels * g.outHeight * g.outWidth
    withOptionalFloatValues(of: bias, for: op, "bias") { biases in
        for image in 0..<g.batch {
            transform.withImage(image) { imageInput in
                for firstRow in Swift.stride(from: 0, to: g.outHeight, by: bandRows) {
                    janus_conv_bf16(input + image * g.inChannels * planeSize, g.inChannels, g.height, g.width,
                                    packed, g.outChannels, g.kernelHeight, g.kernelWidth, g.padding, biases,
                                    imageInput, accumulate ? 1 : 0, outputs + image * outputSize, firstRow,
                                    min(bandRows, g.outHeight - firstRow), staging, 0, isa)
                }
            }
        }
    }
    withExtendedLifetime((packedBuffer, stagingBuffer)) {}
}

extension Tensor {
    /// A 32-bit work buffer this module allocated, as words for a kernel.
    fileprivate var mutableWords: UnsafeMutablePointer<UInt32> {
        UnsafeMutablePointer(mutating: baseAddress.assumingMemoryBound(to: UInt32.self))
    }
}

/// A GroupNorm (then SiLU) that a convolution applies to its input while staging it, so
/// the normalised activation is never held in full.
public struct InputGroupNorm {
    public let groups: Int
    public let weight: Tensor?
    public let bias: Tensor?
    public let eps: Float
    public let silu: Bool

    public init(groups: Int, weight: Tensor?, bias: Tensor?, eps: Float, silu: Bool) {
        (self.groups, self.weight, self.bias, self.eps, self.silu) = (groups, weight, bias, eps, silu)
    }
}

/// What `janus_conv_bf16` does to one input as it stages it: the ×2 upsampling and the
/// GroupNorm with that input's moments.
struct StagedInput {
    let upsample: Bool
    let mean: [Float], inverseStd: [Float]
    let weight: [Float]?, bias: [Float]?
    let groups: Int
    let silu: Bool

    init(upsample: Bool, norm: InputGroupNorm?, of x: Tensor, for op: String) {
        self.upsample = upsample
        guard let norm else {
            (mean, inverseStd, weight, bias, groups, silu) = ([], [], nil, nil, 0, false)
            return
        }
        let (batch, channels) = (x.shape[0], x.shape[1])
        precondition(norm.groups > 0 && channels % norm.groups == 0,
                     "\(op): \(norm.groups) groups do not divide the \(channels) channels of \(x.shape)")
        for parameter in [norm.weight, norm.bias].compactMap({ $0 }) {
            precondition(parameter.shape == [channels], "\(op): norm parameter \(parameter.shape) for \(x.shape)")
        }
        var mean = [Float](repeating: 0, count: batch * norm.groups), inverseStd = mean
        janus_group_norm_moments(x.floats(for: op, "input"), batch, channels, x.shape[2] * x.shape[3], norm.groups,
                                 norm.eps, &mean, &inverseStd)
        (self.mean, self.inverseStd, groups, silu) = (mean, inverseStd, norm.groups, norm.silu)
        weight = norm.weight.map { $0.converted(to: .f32).floats() }
        bias = norm.bias.map { $0.converted(to: .f32).floats() }
    }
}

extension Optional where Wrapped == StagedInput {
    /// Calls `body` with image `image`'s kernel description (nil without a transform).
    func withImage(_ image: Int, _ body: (UnsafePointer<janus_conv_input>?) -> Void) {
        guard let input = self else { return body(nil) }
        input.mean.withUnsafeBufferPointer { mean in
            input.inverseStd.withUnsafeBufferPointer { inverseStd in
                withOptionalArray(input.weight) { weight in
                    withOptionalArray(input.bias) { bias in
                        let normalized = input.groups > 0
                        var description = janus_conv_input(
                            upsample_2x: input.upsample ? 1 : 0,
                            mean: normalized ? mean.baseAddress! + image * input.groups : nil,
                            inverse_std: normalized ? inverseStd.baseAddress! + image * input.groups : nil,
                            groups: input.groups, weight: weight, bias: bias, silu: input.silu ? 1 : 0)
                        withUnsafePointer(to: &description) { body($0) }
                    }
                }
            }
        }
    }
}

private func withOptionalArray(_ array: [Float]?, _ body: (UnsafePointer<Float>?) -> Void) {
    guard let array else { return body(nil) }
    array.withUnsafeBufferPointer { body($0.baseAddress) }
}
