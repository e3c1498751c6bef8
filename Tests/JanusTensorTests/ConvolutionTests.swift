@testable import JanusTensor
import CJanusKernels
import Testing

/// Naive NCHW convolution in double.
private func referenceConv2d(_ x: Tensor, weight: Tensor, bias: Tensor?, stride: Int, padding: Int) -> [Double] {
    let (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (outChannels, kernelHeight, kernelWidth) = (weight.shape[0], weight.shape[2], weight.shape[3])
    let outHeight = (height + 2 * padding - kernelHeight) / stride + 1
    let outWidth = (width + 2 * padding - kernelWidth) / stride + 1
    let (input, weights, biases) = (doubles(x), doubles(weight), bias.map(doubles))
    var result: [Double] = []
    for n in 0..<batch { for o in 0..<outChannels { for oy in 0..<outHeight { for ox in 0..<outWidth {
        var total = biases?[o] ?? 0
        for c in 0..<channels { for ky in 0..<kernelHeight { for kx in 0..<kernelWidth {
            let (iy, ix) = (oy * stride + ky - padding, ox * stride + kx - padding)
            guard (0..<height).contains(iy), (0..<width).contains(ix) else { continue }
            total += input[((n * channels + c) * height + iy) * width + ix]
                * weights[((o * channels + c) * kernelHeight + ky) * kernelWidth + kx]
        } } }
        result.append(total)
    } } } }
    return result
}

@Suite struct ConvolutionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: [Int], kernel: Int, outChannels: Int, stride: Int, padding: Int
        var testDescription: String { "\(input) k\(kernel) s\(stride) p\(padding) -> \(outChannels)" }
    }

    static let cases: [Case] = [
        Case(input: [2, 5, 9, 11], kernel: 3, outChannels: 7, stride: 1, padding: 1),  // VQ decoder 3×3
        Case(input: [1, 4, 9, 8], kernel: 3, outChannels: 6, stride: 2, padding: 1),   // strided, odd sizes
        Case(input: [2, 6, 5, 7], kernel: 1, outChannels: 3, stride: 1, padding: 0),   // 1×1 fast path
        Case(input: [1, 3, 8, 12], kernel: 4, outChannels: 5, stride: 4, padding: 0),  // patch embedding
        Case(input: [1, 2, 3, 3], kernel: 5, outChannels: 2, stride: 1, padding: 2),   // kernel wider than the image
    ]

    @Test(arguments: cases, [DType.f32, .bf16, .f16])
    func conv2dMatchesReference(_ c: Case, weightDType: DType) {
        let x = randomTensor(c.input, seed: 110)
        let weight = randomWeight([c.outChannels, c.input[1], c.kernel, c.kernel], dtype: weightDType, seed: 111)
        let bias = randomWeight([c.outChannels], dtype: weightDType, seed: 112)
        expectClose(conv2d(x, weight: weight, bias: bias, stride: c.stride, padding: c.padding),
                    referenceConv2d(x, weight: weight, bias: bias, stride: c.stride, padding: c.padding))
        expectClose(conv2d(x, weight: weight, stride: c.stride, padding: c.padding),
                    referenceConv2d(x, weight: weight, bias: nil, stride: c.stride, padding: c.padding))
    }

    @Test(arguments: [1, 2, 3])
    func bandedIm2colAndBlockedWeightsGiveTheSameResult(bandRows: Int) {
        // Mapped bf16 weights at an odd offset, converted four output channels at a time,
        // with the image unfolded `bandRows` output rows at a time.
        let x = randomTensor([2, 3, 10, 6], seed: 113)
        let weight = randomWeight([10, 3, 3, 3], dtype: .bf16, placement: .unalignedMapping, seed: 114)
        let bias = randomWeight([10], dtype: .bf16, placement: .unalignedMapping, seed: 115)
        let output = Tensor(zeros: [2, 10, 5, 3])
        conv2d(x, weight: weight, bias: bias, stride: 2, padding: 1, into: output,
               im2colLimit: 27 * 3 * bandRows, weightBlockLimit: 4 * 27)
        expectClose(output, referenceConv2d(x, weight: weight, bias: bias, stride: 2, padding: 1))
    }

    @Test func threeByThreeOnAKnownImage() {
        let image = Tensor(shape: [1, 1, 3, 3], (1...9).map(Float.init))
        let ones = Tensor(shape: [1, 1, 3, 3], [Float](repeating: 1, count: 9)).converted(to: .bf16)
        let bias = Tensor(shape: [1], [Float](arrayLiteral: 1))
        // Sums of each zero-padded 3×3 neighbourhood, plus the bias.
        let neighbourhoodSums: [Float] = [13, 22, 17, 28, 46, 34, 25, 40, 29]
        #expect(conv2d(image, weight: ones, bias: bias, padding: 1).floats() == neighbourhoodSums)
        let edge = Tensor(shape: [1, 1, 3, 3], [Float](arrayLiteral: 0, 0, 0, -1, 0, 1, 0, 0, 0))
        #expect(conv2d(image, weight: edge).floats() == [2])
    }

    @Test func upsampleRepeatsEachPixelTwiceInBothDirections() {
        let x = Tensor(shape: [1, 1, 2, 2], [Float](arrayLiteral: 1, 2, 3, 4))
        let repeated: [Float] = [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]
        #expect(upsampleNearest2x(x).floats() == repeated)
        let y = randomTensor([2, 3, 4, 5], seed: 116)
        let values = y.floats()
        let upsampled = upsampleNearest2x(y)
        #expect(upsampled.shape == [2, 3, 8, 10])
        var expected: [Float] = []
        for plane in 0..<6 { for row in 0..<8 { for column in 0..<10 {
            expected.append(values[(plane * 4 + row / 2) * 5 + column / 2])
        } } }
        #expect(upsampled.floats() == expected)
    }
}

/// The bf16 convolution against the double reference on bf16-rounded inputs and weights:
/// only the f32 summation order separates them.
@Suite struct BF16ConvolutionTests {
    static let cases: [ConvolutionTests.Case] = [
        .init(input: [2, 5, 9, 11], kernel: 3, outChannels: 7, stride: 1, padding: 1),    // odd channel count
        .init(input: [1, 16, 6, 50], kernel: 3, outChannels: 9, stride: 1, padding: 1),   // two pixel tiles
        .init(input: [1, 8, 6, 6], kernel: 1, outChannels: 3, stride: 1, padding: 0),     // 1×1
        .init(input: [1, 4, 7, 100], kernel: 3, outChannels: 20, stride: 1, padding: 0),  // unpadded, 3 channel tiles
        .init(input: [1, 3, 3, 3], kernel: 5, outChannels: 2, stride: 1, padding: 2),     // kernel wider than the image
        .init(input: [1, 6, 3, 96], kernel: 3, outChannels: 9, stride: 1, padding: 1),    // rows of whole pixel runs
        .init(input: [1, 10, 5, 24], kernel: 3, outChannels: 8, stride: 1, padding: 1),   // runs across rows (VQ 24px)
    ]

    private static func rounded(_ tensor: Tensor) -> Tensor { tensor.converted(to: .bf16).converted(to: .f32) }

    @Test(arguments: cases, [JANUS_ISA_BEST, JANUS_ISA_PORTABLE].map(\.rawValue))
    func matchesReferenceOnRoundedValues(_ c: ConvolutionTests.Case, isa: UInt32) {
        let x = randomTensor(c.input, seed: 120)
        let weight = randomWeight([c.outChannels, c.input[1], c.kernel, c.kernel], dtype: .f32, seed: 121)
        let bias = randomWeight([c.outChannels], dtype: .f32, seed: 122)
        let expected = referenceConv2d(Self.rounded(x), weight: Self.rounded(weight), bias: bias,
                                       stride: 1, padding: c.padding)
        for stagingLimit in [1, 1 << 22] {  // one output row per band, and the whole image
            let g = ConvolutionGeometry(input: x, weight: weight, stride: 1, padding: c.padding)
            // NaN where nothing is written: every output pixel must be.
            let output = Tensor(shape: g.outputShape, [Float](repeating: .nan, count: g.outputShape.reduce(1, *)))
            conv2dBF16(x, weight: weight, bias: bias, padding: c.padding, into: output,
                       stagingLimit: stagingLimit, isa: janus_isa(rawValue: isa))
            expectClose(output, expected, relative: 1e-5, absolute: 1e-5)
        }
    }

    @Test func bf16ComputeRoutesStrideOneConvolutionsHere() {
        let x = randomTensor([1, 6, 8, 8], seed: 123)
        let weight = randomWeight([4, 6, 3, 3], dtype: .bf16, seed: 124)
        let bf16 = conv2d(x, weight: weight, padding: 1, compute: .bf16)
        let f32 = conv2d(x, weight: weight, padding: 1, compute: .f32)
        expectClose(bf16, referenceConv2d(Self.rounded(x), weight: weight, bias: nil, stride: 1, padding: 1),
                    relative: 1e-5, absolute: 1e-5)
        #expect(bf16.floats() != f32.floats(), "bf16 compute must round the activations")
        // Strided convolutions stay on the f32 path.
        expectClose(conv2d(x, weight: weight, stride: 2, padding: 1, compute: .bf16),
                    conv2d(x, weight: weight, stride: 2, padding: 1, compute: .f32).floats().map(Double.init),
                    relative: 0, absolute: 0)
    }
}

/// The bf16 convolution that applies a GroupNorm (then SiLU) or an upsampling as it stages
/// its input, and adds into its output: the same values as the ops one after another.
@Suite struct NormalizingConvolutionTests {
    /// The bf16 convolution of `x` (3×3, padding 1) into NaN (or onto `base`'s values).
    static func convolve(_ x: Tensor, weight: Tensor, bias: Tensor, outputShape: [Int], stagingLimit: Int, isa: UInt32,
                         norm: InputGroupNorm? = nil, upsampling: Bool = false, onto base: Tensor? = nil) -> Tensor {
        let output = base?.copy()
            ?? Tensor(shape: outputShape, [Float](repeating: .nan, count: outputShape.reduce(1, *)))
        conv2dBF16(x, weight: weight, bias: bias, padding: 1, into: output, stagingLimit: stagingLimit,
                   isa: janus_isa(rawValue: isa), norm: norm, upsampling: upsampling, accumulating: base != nil)
        return output
    }

    static let shapes: [[Int]] = [[2, 8, 6, 50], [1, 16, 5, 24], [1, 4, 3, 300]]  // runs of rows; flat; > one chunk

    @Test(arguments: shapes, [JANUS_ISA_BEST, JANUS_ISA_PORTABLE].map(\.rawValue))
    func equalsGroupNormThenConvolutionThenAdd(shape: [Int], isa: UInt32) {
        let channels = shape[1]
        let x = randomTensor(shape, seed: 140, in: -3...3)
        let weight = randomWeight([channels, channels, 3, 3], dtype: .bf16, seed: 141)
        let bias = randomWeight([channels], dtype: .f32, seed: 142)
        let (gamma, beta) = (randomWeight([channels], dtype: .bf16, seed: 143), randomWeight([channels], dtype: .bf16, seed: 144))
        let norm = InputGroupNorm(groups: 4, weight: gamma, bias: beta, eps: 1e-6, silu: true)
        let normalized = groupNorm(x, groups: 4, weight: gamma, bias: beta, eps: 1e-6, thenSiLU: true)
        let residual = randomTensor(shape, seed: 145)
        for stagingLimit in [1, 1 << 22] {
            let expected = Self.convolve(normalized, weight: weight, bias: bias, outputShape: shape,
                                         stagingLimit: stagingLimit, isa: isa)
            let fused = Self.convolve(x, weight: weight, bias: bias, outputShape: shape, stagingLimit: stagingLimit,
                                      isa: isa, norm: norm)
            #expect(fused.floats() == expected.floats(), "staging limit \(stagingLimit)")
            let accumulated = Self.convolve(x, weight: weight, bias: bias, outputShape: shape, stagingLimit: stagingLimit,
                                            isa: isa, norm: norm, onto: residual)
            #expect(accumulated.floats() == add(expected, residual).floats(), "accumulating, limit \(stagingLimit)")
        }
    }

    @Test func withoutAffineOrSiLU() {
        let x = randomTensor([1, 6, 4, 20], seed: 150)
        let weight = randomWeight([5, 6, 1, 1], dtype: .f32, seed: 151)
        let plain = groupNorm(x, groups: 3, weight: nil, bias: nil, eps: 1e-5)
        let fused = conv2d(x, normalizedBy: InputGroupNorm(groups: 3, weight: nil, bias: nil, eps: 1e-5, silu: false),
                           weight: weight, bias: nil, padding: 0)
        #expect(fused.floats() == conv2d(plain, weight: weight, padding: 0, compute: .bf16).floats())
    }

    @Test(arguments: [[1, 6, 3, 24], [2, 4, 5, 7], [1, 3, 2, 150]], [JANUS_ISA_BEST, JANUS_ISA_PORTABLE].map(\.rawValue))
    func upsamplingAsStagedEqualsUpsampleThenConvolution(shape: [Int], isa: UInt32) {
        let x = randomTensor(shape, seed: 160)
        let weight = randomWeight([5, shape[1], 3, 3], dtype: .bf16, seed: 161)
        let bias = randomWeight([5], dtype: .f32, seed: 162)
        let upsampled = upsampleNearest2x(x)
        let outputShape = [shape[0], 5, 2 * shape[2], 2 * shape[3]]
        for stagingLimit in [1, 1 << 22] {
            let expected = Self.convolve(upsampled, weight: weight, bias: bias, outputShape: outputShape,
                                         stagingLimit: stagingLimit, isa: isa)
            let fused = Self.convolve(x, weight: weight, bias: bias, outputShape: outputShape, stagingLimit: stagingLimit,
                                      isa: isa, upsampling: true)
            #expect(fused.floats() == expected.floats(), "staging limit \(stagingLimit)")
        }
        #expect(conv2d(upsampling: x, weight: weight, bias: bias, padding: 1).floats()
                == conv2d(upsampled, weight: weight, bias: bias, padding: 1, compute: .bf16).floats())
    }
}
