import CJanusKernels
@testable import JanusTensor
import Testing

/// `--weights int8`: per-block quantisation into the packed layout, the two-part int8
/// activations of bf16 compute, and `linear` over int8 weights on every path (AVX-512 /
/// AVX512_VNNI and portable kernels, one and two threads, dequantise + sgemm) against a
/// double-precision reference over the dequantised weights.
@Suite struct Int8LinearTests {
    /// K = 160 is five blocks of 32; N = 603 is no whole number of 16-row groups and gives
    /// two threads uneven halves.
    static let (n, k) = (603, 160)
    static let rowCounts = [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 32, 64, 65, 70]
    static let kernelPaths: [LinearPath] = [
        .streaming(threads: 1, portable: false), .streaming(threads: 2, portable: false),
        .streaming(threads: 1, portable: true), .streaming(threads: 2, portable: true),
    ]
    static let allPaths: [LinearPath] = kernelPaths + [.automatic, .blocked]

    struct Problem {
        let x: Tensor, weight: Int8BlockWeight, bias: Tensor
        var rows: Int { x.shape[0] }

        init(rows: Int, seed: UInt64, weightDType: DType = .bf16) {
            x = randomTensor([rows, Int8LinearTests.k], seed: seed)
            weight = Int8BlockWeight(quantizing: randomWeight([Int8LinearTests.n, Int8LinearTests.k],
                                                              dtype: weightDType, seed: seed + 1))
            bias = randomWeight([Int8LinearTests.n], dtype: .f32, seed: seed + 2)
        }

        func expected(activations: [Double]? = nil, bias withBias: Bool = true) -> [Double] {
            referenceLinear(activations ?? doubles(x), doubles(weight.dequantized()), withBias ? doubles(bias) : nil,
                            m: rows, k: Int8LinearTests.k, n: Int8LinearTests.n)
        }

        func run(_ path: LinearPath, compute: ComputeMode, bias withBias: Bool = true) -> Tensor {
            let output = Tensor(shape: [rows, Int8LinearTests.n],
                                [Float](repeating: .nan, count: rows * Int8LinearTests.n))
            linear(x, weight: weight, bias: withBias ? bias : nil, into: output, compute: compute, path: path)
            return output
        }
    }

    /// x as bf16 compute quantises it (two int8 parts per block), widened back.
    static func quantizedActivations(_ x: Tensor) -> [Double] {
        let parts = ActivationParts(x)
        return parts.high.indices.map {
            (Double(parts.high[$0]) + Double(parts.low[$0]) / 128) * Double(parts.scales[$0 / Int8BlockWeight.blockSize])
        }
    }

    struct ActivationParts {
        var high: [Int8], low: [Int8], scales: [Float]

        init(_ x: Tensor) {
            let rows = x.rowCount, k = x.shape.last!
            high = [Int8](repeating: 0, count: rows * k)
            low = high
            scales = [Float](repeating: 0, count: rows * k / Int8BlockWeight.blockSize)
            janus_quantize_rows_int8x2(x.floats(), rows, k, &high, &low, &scales)
        }
    }

    // MARK: Quantisation

    @Test(arguments: [DType.f32, .bf16, .f16])
    func weightQuantisationStaysWithinHalfAStepOfEachBlock(dtype: DType) {
        let weight = randomWeight([37, Self.k], dtype: dtype, seed: 5, in: -3...3)
        let quantized = Int8BlockWeight(quantizing: weight)
        let original = weight.floats(), restored = quantized.dequantized().floats()
        let (values, scales) = quantized.unpacked()
        for block in 0..<scales.count {
            let range = block * Int8BlockWeight.blockSize..<(block + 1) * Int8BlockWeight.blockSize
            let largest = range.map { abs(original[$0]) }.max()!
            // The scale is max/127 rounded up to bf16 (at most 2^-7 more), so the largest
            // magnitude lands on 126 or 127 and never beyond.
            #expect(scales[block] >= largest / 127 && scales[block] <= largest / 127 * (1 + 0x1p-7), "block \(block)")
            #expect(Float(bitPattern: scales[block].bitPattern & 0xFFFF_0000) == scales[block], "bf16 scale")
            #expect((126...127).contains(range.map { abs(Int(values[$0])) }.max()!), "block \(block)")
            for index in range {
                #expect(abs(original[index] - restored[index]) <= scales[block] * 0.5001, "element \(index)")
                #expect(restored[index] == Float(values[index]) * scales[block], "element \(index)")
            }
        }
    }

    @Test func zeroBlocksGetZeroScales() {
        let quantized = Int8BlockWeight(quantizing: Tensor(zeros: [2, 64], dtype: .bf16))
        #expect(quantized.unpacked().scales == [0, 0, 0, 0])
        #expect(quantized.dequantized().floats().allSatisfy { $0 == 0 })
    }

    @Test func onlyWholeBlocksQuantise() {
        #expect(Int8BlockWeight.canQuantize(Tensor(zeros: [3, 64], dtype: .bf16)))
        #expect(!Int8BlockWeight.canQuantize(Tensor(zeros: [3, 48], dtype: .bf16)))
        #expect(!Int8BlockWeight.canQuantize(Tensor(zeros: [3, 64], dtype: .i32)))
    }

    @Test func packedRowsArePaddedToWholeGroups() {
        let quantized = Int8BlockWeight(quantizing: randomWeight([17, 64], dtype: .bf16, seed: 3))
        #expect(quantized.shape == [17, 64])
        #expect(quantized.values.shape == [32, 64])
        #expect(quantized.scales.shape == [32, 2])
        // Padding rows hold q = 0 (stored as 128) and scale 0.
        let padding = quantized.values.scalars(as: UInt8.self).enumerated().filter { index, _ in
            let step = index % 64, row = step / 4, group = index / (64 * 2 * 8)
            return group == 1 && row >= 1
        }
        #expect(padding.allSatisfy { $0.element == 128 })
    }

    @Test func dequantisingAnyRowRangeMatchesTheUnpackedValues() {
        // Whole 16-row groups take the SIMD path, the rows around them the scalar one.
        let quantized = Int8BlockWeight(quantizing: randomWeight([Self.n, Self.k], dtype: .bf16, seed: 9))
        let (values, scales) = quantized.unpacked()
        let blocks = Self.k / Int8BlockWeight.blockSize
        for rows in [0..<Self.n, 5..<40, 17..<18, 16..<48, 30..<Self.n, 600..<Self.n] {
            let out = UnsafeMutablePointer<Float>.allocate(capacity: rows.count * Self.k)
            defer { out.deallocate() }
            quantized.dequantize(rows: rows, into: out)
            var mismatches = 0
            for (r, row) in rows.enumerated() {
                for i in 0..<Self.k where out[r * Self.k + i] != Float(values[row * Self.k + i])
                    * scales[row * blocks + i / Int8BlockWeight.blockSize] {
                    mismatches += 1
                }
            }
            #expect(mismatches == 0, "rows \(rows)")
        }
    }

    @Test(arguments: [1, 3, 70])
    func activationsSplitIntoTwoInt8PartsPerBlock(rows: Int) {
        let x = randomTensor([rows, Self.k], seed: 7, in: -5...5)
        let parts = ActivationParts(x)
        let values = x.floats()
        for block in 0..<parts.scales.count {
            let range = block * Int8BlockWeight.blockSize..<(block + 1) * Int8BlockWeight.blockSize
            let scale = parts.scales[block]
            #expect(scale == range.map { abs(values[$0]) }.max()! / 127, "block \(block)")
            #expect(range.map { abs(Int(parts.high[$0])) }.max() == 127, "block \(block)")
            for index in range {
                #expect(abs(Int(parts.low[index])) <= 64, "element \(index)")
                // The high part alone is within half a step; with the low part, within 1/256 of one.
                let high = Double(parts.high[index]) * Double(scale)
                let both = (Double(parts.high[index]) + Double(parts.low[index]) / 128) * Double(scale)
                #expect(abs(high - Double(values[index])) <= Double(scale) * 0.5001, "element \(index)")
                #expect(abs(both - Double(values[index])) <= Double(scale) / 256 * 1.01, "element \(index)")
            }
        }
    }

    // MARK: Linear

    @Test(arguments: rowCounts)
    func f32ComputeMatchesTheDequantisedReferenceOnEveryPath(rows: Int) {
        let problem = Problem(rows: rows, seed: UInt64(rows) * 10)
        let expected = problem.expected(), expectedWithoutBias = problem.expected(bias: false)
        for path in Self.allPaths {
            expectClose(problem.run(path, compute: .f32), expected, relative: 1e-5, absolute: 1e-5, "\(path)")
            expectClose(problem.run(path, compute: .f32, bias: false), expectedWithoutBias,
                        relative: 1e-5, absolute: 1e-5, "\(path), no bias")
        }
    }

    @Test(arguments: rowCounts)
    func bf16ComputeMatchesTheReferenceOverQuantisedActivations(rows: Int) {
        let problem = Problem(rows: rows, seed: UInt64(rows) * 10 + 1)
        // Each block's int8 dot products are exact: only the f32 scaling and sums round.
        let exactForQuantized = problem.expected(activations: Self.quantizedActivations(problem.x))
        // Against the f32 activations, each x moves by at most 1/256 of its block's step
        // (max |x| / 127): a bound on how far a sum can move, 32 times tighter than bf16's
        // rounding allows for the block's largest value.
        let f32Reference = problem.expected()
        let xs = problem.x.floats(), blockSize = Int8BlockWeight.blockSize
        let errors = xs.indices.map { index -> Double in
            let start = index / blockSize * blockSize
            return Double(xs[start..<start + blockSize].map(abs).max()!) / 127 / 256
        }
        let bound = referenceLinear(errors, doubles(problem.weight.dequantized()).map(abs), nil,
                                    m: rows, k: Self.k, n: Self.n)
        for path in Self.kernelPaths + (janus_cpu_has_avx512_vnni() != 0 || rows <= 64 ? [.automatic] : []) {
            let result = problem.run(path, compute: .bf16).floats()
            expectClose(result, exactForQuantized, relative: 1e-5, absolute: 1e-5, "\(path)")
            let outside = result.indices.filter {
                abs(Double(result[$0]) - f32Reference[$0]) > bound[$0] * 1.001 + 1e-5 + abs(f32Reference[$0]) * 1e-5
            }
            #expect(outside.isEmpty, "\(path): \(outside.count) sums beyond the quantisation bound")
        }
    }

    @Test(arguments: [65, 70])
    func bf16ComputeWithoutVNNIAboveTheRowLimitRoundsToBF16(rows: Int) {
        // The dequantise + sgemm path takes the activations rounded to bf16, as for float weights.
        let problem = Problem(rows: rows, seed: 300)
        let rounded = problem.expected(activations: doubles(problem.x.converted(to: .bf16)))
        expectClose(problem.run(.blocked, compute: .bf16), rounded, relative: 1e-5, absolute: 1e-5)
    }

    @Test(arguments: [2, 17, 70])
    func threadCountDoesNotChangeTheResult(rows: Int) {
        // Each output is one thread's work in a fixed order, bit for bit the same however split.
        let problem = Problem(rows: rows, seed: 400)
        for compute in ComputeMode.allCases {
            let single = problem.run(.streaming(threads: 1, portable: false), compute: compute).floats()
            #expect(problem.run(.streaming(threads: 2, portable: false), compute: compute).floats() == single)
            #expect(problem.run(.streaming(threads: 5, portable: false), compute: compute).floats() == single)
        }
    }

    @Test(arguments: [DType.f32, .f16])
    func otherWeightDTypesQuantiseToo(dtype: DType) {
        let problem = Problem(rows: 3, seed: 500, weightDType: dtype)
        expectClose(problem.run(.automatic, compute: .f32), problem.expected(), relative: 1e-5, absolute: 1e-5)
    }

    @Test func publicEntryPointsUseTheProcessDefault() {
        let x = randomTensor([2, Self.k], seed: 60)
        let quantized = Int8BlockWeight(quantizing: randomWeight([Self.n, Self.k], dtype: .bf16, seed: 61))
        let expected = referenceLinear(doubles(x), doubles(quantized.dequantized()), nil, m: 2, k: Self.k, n: Self.n)
        expectClose(linear(x, weight: quantized), expected, relative: 1e-5, absolute: 1e-5)
        let portable = Tensor(zeros: [2, Self.n])
        linear(x, weight: quantized, into: portable, compute: .f32, portable: true)
        expectClose(portable, expected, relative: 1e-5, absolute: 1e-5)
    }
}
