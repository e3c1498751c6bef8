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
/// per call, the input staged band by band.
func bf16Convolution(_ x: Tensor, weight: Tensor, bias: Tensor?, geometry g: ConvolutionGeometry,
                     into outputs: UnsafeMutablePointer<Float>, stagingLimit: Int, isa: janus_isa) {
    let op = "conv2d"
    let input = x.floats(for: op, "input")
    let packed = UnsafeMutablePointer<UInt32>.allocate(
        capacity: janus_conv_bf16_weight_count(g.outChannels, g.inChannels, g.kernelHeight, g.kernelWidth))
    defer { packed.deallocate() }
    withFloatValues(of: weight, for: op, "weight") { weights in
        janus_conv_bf16_pack_weights(weights, g.outChannels, g.inChannels, g.kernelHeight, g.kernelWidth, packed)
    }
    func stagingCount(rows: Int) -> Int {
        janus_conv_bf16_staging_count(g.inChannels, g.width, g.kernelHeight, g.kernelWidth, g.padding, rows)
    }
    var bandRows = g.outHeight
    while bandRows > 1 && stagingCount(rows: bandRows) > stagingLimit { bandRows = (bandRows + 1) / 2 }
    let staging = UnsafeMutablePointer<UInt32>.allocate(capacity: stagingCount(rows: bandRows))
    defer { staging.deallocate() }
    let planeSize = g.height * g.width, outputSize = g.outChannels * g.outHeight * g.outWidth
    withOptionalFloatValues(of: bias, for: op, "bias") { biases in
        for image in 0..<g.batch {
            for firstRow in Swift.stride(from: 0, to: g.outHeight, by: bandRows) {
                janus_conv_bf16(input + image * g.inChannels * planeSize, g.inChannels, g.height, g.width,
                                packed, g.outChannels, g.kernelHeight, g.kernelWidth, g.padding, biases,
                                outputs + image * outputSize, firstRow, min(bandRows, g.outHeight - firstRow),
                                staging, 0, isa)
            }
        }
    }
}
