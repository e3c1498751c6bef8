@testable import JanusTensor
import Testing

/// The weight-streaming `linear` kernel (decode steps) against the double-precision
/// reference, on every code path: AVX-512 and portable, one and two threads, each
/// weight dtype and placement, row counts around the tile height (6), up to a decode
/// batch of 32, and around the dispatch limit (64).
@Suite struct StreamingLinearTests {
    /// N = 603 is no multiple of the 4-row tile, K = 131 none of the 16/32-element step;
    /// the sizes also give two threads enough work to split.
    static let (n, k) = (603, 131)
    static let rowCounts = [1, 2, 3, 8, 16, 17, 32]
    static let paths: [(threads: Int, portable: Bool)] = [(1, false), (2, false), (1, true), (2, true)]

    struct Problem {
        let x: Tensor, weight: Tensor, bias: Tensor
        var rows: Int { x.shape[0] }

        init(rows: Int, dtype: DType, placement: WeightPlacement, seed: UInt64) {
            x = randomTensor([rows, StreamingLinearTests.k], seed: seed)
            weight = randomWeight([StreamingLinearTests.n, StreamingLinearTests.k], dtype: dtype,
                                  placement: placement, seed: seed + 1)
            bias = randomWeight([StreamingLinearTests.n], dtype: .f32, seed: seed + 2)
        }

        /// The reference with the activations first passed through `activationRounding`.
        func expected(roundingActivationsTo activationDType: DType = .f32, bias withBias: Bool = true) -> [Double] {
            referenceLinear(doubles(x.converted(to: activationDType)), doubles(weight), withBias ? doubles(bias) : nil,
                            m: rows, k: StreamingLinearTests.k, n: StreamingLinearTests.n)
        }

        func run(_ path: LinearPath, compute: ComputeMode = .f32, bias withBias: Bool = true) -> Tensor {
            let output = Tensor(shape: [rows, StreamingLinearTests.n],
                                [Float](repeating: .nan, count: rows * StreamingLinearTests.n))
            linear(x, weight: weight, bias: withBias ? bias : nil, into: output, compute: compute, path: path)
            return output
        }
    }

    /// Sums of 131 products of values in [-1, 1] reach about 7; f32 rounding of the
    /// partial sums stays well inside this.
    static let f32Tolerance = (relative: 1e-5, absolute: 1e-5)

    @Test(arguments: rowCounts, [DType.f32, .bf16, .f16])
    func matchesReferenceOnEveryPath(rows: Int, dtype: DType) {
        for placement in WeightPlacement.allCases {
            let problem = Problem(rows: rows, dtype: dtype, placement: placement, seed: UInt64(rows) * 10)
            let expected = problem.expected(), expectedWithoutBias = problem.expected(bias: false)
            for path in Self.paths {
                let comment: Comment = "\(placement.testDescription), \(path.threads) thread(s)\(path.portable ? ", portable" : "")"
                let kernelPath = LinearPath.streaming(threads: path.threads, portable: path.portable)
                expectClose(problem.run(kernelPath), expected, relative: Self.f32Tolerance.relative,
                            absolute: Self.f32Tolerance.absolute, comment)
                expectClose(problem.run(kernelPath, bias: false), expectedWithoutBias,
                            relative: Self.f32Tolerance.relative, absolute: Self.f32Tolerance.absolute, comment)
            }
        }
    }

    @Test(arguments: rowCounts)
    func threadCountDoesNotChangeTheResult(rows: Int) {
        // Each output is computed by exactly one thread in the same order, so splitting
        // the weight rows differently changes nothing, bit for bit.
        let problem = Problem(rows: rows, dtype: .bf16, placement: .unalignedMapping, seed: 70)
        let single = problem.run(.streaming(threads: 1, portable: false)).floats()
        #expect(problem.run(.streaming(threads: 2, portable: false)).floats() == single)
        #expect(problem.run(.streaming(threads: 5, portable: false)).floats() == single)
    }

    @Test(arguments: [64, 65])
    func automaticDispatchAroundTheRowLimit(rows: Int) {
        // 64 rows stream, 65 go through blocked sgemm: both match the reference.
        #expect(LinearPath.streamingRowLimit == 64)
        let problem = Problem(rows: rows, dtype: .bf16, placement: .aligned, seed: 80)
        expectClose(problem.run(.automatic), problem.expected(), relative: Self.f32Tolerance.relative,
                    absolute: Self.f32Tolerance.absolute)
    }

    @Test(arguments: rowCounts, [DType.bf16, .f32])
    func bf16ComputeRoundsTheActivations(rows: Int, dtype: DType) {
        let problem = Problem(rows: rows, dtype: dtype, placement: .unalignedMapping, seed: 90)
        // With the activations rounded to bf16 first, the products are exact again: the
        // tight tolerance holds. (vdpbf16ps adds products in pairs, still in f32.)
        let exactForRounded = problem.expected(roundingActivationsTo: .bf16)
        // Against the f32 activations, rounding each x to bf16 (at most 2^-9 relative)
        // moves a sum by at most 2^-9 · Σ|x·w|: the looser, bf16-mode tolerance.
        let f32Reference = problem.expected()
        let absoluteProducts = referenceLinear(doubles(problem.x).map(abs), doubles(problem.weight).map(abs), nil,
                                               m: rows, k: Self.k, n: Self.n)
        for path in [LinearPath.automatic, .blocked] + Self.paths.map({ LinearPath.streaming(threads: $0.threads, portable: $0.portable) }) {
            let result = problem.run(path, compute: .bf16).floats()
            expectClose(result, exactForRounded, relative: 1e-5, absolute: 2e-5, "\(path)")
            let bf16Bound = zip(absoluteProducts, f32Reference.indices).map { bound, index in
                bound * 0x1p-9 + Self.f32Tolerance.absolute + abs(f32Reference[index]) * Self.f32Tolerance.relative
            }
            let outside = result.indices.filter { abs(Double(result[$0]) - f32Reference[$0]) > bf16Bound[$0] }
            #expect(outside.isEmpty, "\(path): \(outside.count) sums beyond 2^-9 Σ|x·w| of the f32 result")
        }
    }

    @Test func processDefaultComputeModeIsF32() {
        #expect(ComputeMode.processDefault == .f32)
    }

    @Test func emptyAndTinyShapes() {
        // One weight row (a tile of one) and K below one vector step.
        let x = randomTensor([2, 3], seed: 100)
        let weight = randomWeight([1, 3], dtype: .bf16, seed: 101)
        let expected = referenceLinear(doubles(x), doubles(weight), nil, m: 2, k: 3, n: 1)
        for path in Self.paths {
            let output = Tensor(zeros: [2, 1])
            linear(x, weight: weight, bias: nil, into: output, compute: .f32,
                   path: .streaming(threads: path.threads, portable: path.portable))
            expectClose(output, expected)
        }
    }

    @Test func threadPoolHasAtLeastOneThread() {
        #expect(ComputeThreads.count >= 1)
    }
}
