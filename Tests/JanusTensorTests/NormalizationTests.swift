import JanusTensor
import Testing

/// (x - mean) / sqrt(var + eps) over `values` in double.
private func standardized(_ values: ArraySlice<Double>, eps: Double) -> [Double] {
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
    return values.map { ($0 - mean) / (variance + eps).squareRoot() }
}

private func referenceRMSNorm(_ x: [Double], weight: [Double], eps: Double) -> [Double] {
    let width = weight.count
    return stride(from: 0, to: x.count, by: width).flatMap { start in
        let row = x[start..<start + width]
        let inverse = 1 / (row.reduce(0) { $0 + $1 * $1 } / Double(width) + eps).squareRoot()
        return row.indices.map { row[$0] * inverse * weight[$0 - start] }
    }
}

private func referenceLayerNorm(_ x: [Double], weight: [Double], bias: [Double], eps: Double) -> [Double] {
    let width = weight.count
    return stride(from: 0, to: x.count, by: width).flatMap { start in
        standardized(x[start..<start + width], eps: eps).enumerated().map { $1 * weight[$0] + bias[$0] }
    }
}

private func referenceGroupNorm(_ x: [Double], shape: [Int], groups: Int, weight: [Double]?, bias: [Double]?,
                                eps: Double) -> [Double] {
    let (channels, plane) = (shape[1], shape[2] * shape[3])
    let groupSize = channels / groups * plane
    return stride(from: 0, to: x.count, by: groupSize).flatMap { start in
        standardized(x[start..<start + groupSize], eps: eps).enumerated().map { offset, value in
            let channel = (start + offset) / plane % channels
            return value * (weight?[channel] ?? 1) + (bias?[channel] ?? 0)
        }
    }
}

@Suite struct NormalizationTests {
    @Test(arguments: [DType.f32, .bf16, .f16], WeightPlacement.allCases)
    func rmsNormMatchesReference(weightDType: DType, placement: WeightPlacement) {
        let x = randomTensor([5, 96], seed: 30, in: -3...3)
        let weight = randomWeight([96], dtype: weightDType, placement: placement, seed: 31, in: 0.5...1.5)
        expectClose(rmsNorm(x, weight: weight, eps: 1e-6), referenceRMSNorm(doubles(x), weight: doubles(weight), eps: 1e-6))
    }

    @Test func rmsNormOfAKnownVector() {
        let x = Tensor(shape: [4], [Float](arrayLiteral: 1, 2, 3, 4))
        let weight = Tensor(shape: [4], [Float](arrayLiteral: 1, 1, 2, 0.5)).converted(to: .bf16)
        // mean(x²) = 7.5, so each x is scaled by 1/sqrt(7.5 + 1e-6) = 0.3651483...
        let inverse = 1 / (7.5 + 1e-6).squareRoot()
        expectClose(rmsNorm(x, weight: weight, eps: 1e-6), [inverse, 2 * inverse, 6 * inverse, 2 * inverse],
                    relative: 1e-6, absolute: 0)
        rmsNorm(x, weight: weight, eps: 1e-6, into: x)
        expectClose(x, [inverse, 2 * inverse, 6 * inverse, 2 * inverse], relative: 1e-6, absolute: 0)
    }

    @Test(arguments: [DType.f32, .bf16], WeightPlacement.allCases)
    func layerNormMatchesReference(weightDType: DType, placement: WeightPlacement) {
        // An offset mean checks that the variance is not computed as E[x²] - E[x]².
        let x = randomTensor([6, 130], seed: 32, in: 40...44)
        let weight = randomWeight([130], dtype: weightDType, placement: placement, seed: 33)
        let bias = randomWeight([130], dtype: weightDType, placement: placement, seed: 34)
        let expected = referenceLayerNorm(doubles(x), weight: doubles(weight), bias: doubles(bias), eps: 1e-6)
        expectClose(layerNorm(x, weight: weight, bias: bias, eps: 1e-6), expected, relative: 1e-5, absolute: 1e-5)
    }

    @Test func layerNormHandComputedAndWithoutAffine() {
        let x = Tensor(shape: [1, 4], [Float](arrayLiteral: 1, 2, 3, 4))
        // mean 2.5, variance 1.25.
        let unit = [-1.5, -0.5, 0.5, 1.5].map { $0 / (1.25 + 1e-5).squareRoot() }
        expectClose(layerNorm(x, weight: nil, bias: nil, eps: 1e-5), unit, relative: 1e-6, absolute: 1e-7)
        let weight = Tensor(shape: [4], [Float](arrayLiteral: 2, 2, 2, 2))
        let bias = Tensor(shape: [4], [Float](arrayLiteral: 1, 1, 1, 1))
        expectClose(layerNorm(x, weight: weight, bias: bias, eps: 1e-5), unit.map { $0 * 2 + 1 },
                    relative: 1e-6, absolute: 1e-6)
    }

    @Test(arguments: [true, false])
    func groupNormMatchesReference(affine: Bool) {
        let shape = [2, 6, 5, 7]
        let x = randomTensor(shape, seed: 35, in: -2...3)
        let weight = affine ? randomWeight([6], dtype: .bf16, placement: .unalignedMapping, seed: 36) : nil
        let bias = affine ? randomWeight([6], dtype: .bf16, seed: 37) : nil
        let expected = referenceGroupNorm(doubles(x), shape: shape, groups: 3, weight: weight.map(doubles),
                                          bias: bias.map(doubles), eps: 1e-6)
        expectClose(groupNorm(x, groups: 3, weight: weight, bias: bias, eps: 1e-6), expected)
        groupNorm(x, groups: 3, weight: weight, bias: bias, eps: 1e-6, into: x)
        expectClose(x, expected)
    }

    /// The fused form gives exactly the two ops in turn, on one thread (a small norm) and
    /// split over the threads by group (planes of 64K values), out of place and in place.
    @Test(arguments: [[2, 6, 5, 7], [1, 8, 256, 256]])
    func groupNormThenSiLUIsTheTwoOpsInTurn(shape: [Int]) {
        let x = randomTensor(shape, seed: 39, in: -3...3)
        let weight = randomWeight([shape[1]], dtype: .bf16, seed: 40)
        let bias = randomWeight([shape[1]], dtype: .f32, seed: 41)
        let separate = groupNorm(x, groups: 2, weight: weight, bias: bias, eps: 1e-6)
        silu(separate, into: separate)
        let fused = groupNorm(x, groups: 2, weight: weight, bias: bias, eps: 1e-6, thenSiLU: true)
        #expect(fused.floats() == separate.floats())
        groupNorm(x, groups: 2, weight: weight, bias: bias, eps: 1e-6, into: x, thenSiLU: true)
        #expect(x.floats() == separate.floats())
    }

    @Test func groupNormStaysAccurateOverLargeGroups() {
        // 262144 values per group around 100: f32 statistics must not drift.
        let shape = [1, 4, 256, 512]
        let x = randomTensor(shape, seed: 38, in: 99...101)
        let expected = referenceGroupNorm(doubles(x), shape: shape, groups: 2, weight: nil, bias: nil, eps: 1e-6)
        expectClose(groupNorm(x, groups: 2, weight: nil, bias: nil, eps: 1e-6), expected, relative: 1e-5, absolute: 1e-5)
    }

    @Test func groupNormHandComputed() {
        // One group over two channels of two pixels: the layer norm of [1, 2, 3, 4].
        let x = Tensor(shape: [1, 2, 1, 2], [Float](arrayLiteral: 1, 2, 3, 4))
        let weight = Tensor(shape: [2], [Float](arrayLiteral: 1, -1))
        let unit = [-1.5, -0.5, 0.5, 1.5].map { $0 / (1.25 + 1e-6).squareRoot() }
        expectClose(groupNorm(x, groups: 1, weight: weight, bias: nil, eps: 1e-6),
                    [unit[0], unit[1], -unit[2], -unit[3]], relative: 1e-6, absolute: 1e-7)
    }
}
