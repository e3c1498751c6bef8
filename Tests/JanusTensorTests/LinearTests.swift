@testable import JanusTensor
import Testing

/// Naive `x · wᵀ + b` in double precision.
func referenceLinear(_ x: [Double], _ weight: [Double], _ bias: [Double]?, m: Int, k: Int, n: Int) -> [Double] {
    var result = [Double](repeating: 0, count: m * n)
    for row in 0..<m {
        for column in 0..<n {
            var total = bias?[column] ?? 0
            for i in 0..<k { total += x[row * k + i] * weight[column * k + i] }
            result[row * n + column] = total
        }
    }
    return result
}

@Suite struct LinearTests {
    static let weightDTypes: [DType] = [.f32, .bf16, .f16]

    @Test(arguments: weightDTypes, WeightPlacement.allCases)
    func linearMatchesReference(weightDType: DType, placement: WeightPlacement) {
        // N = 600 spans three 256-row conversion blocks, the last one partial.
        let (m, k, n) = (3, 37, 600)
        let x = randomTensor([m, k], seed: 1)
        let weight = randomWeight([n, k], dtype: weightDType, placement: placement, seed: 2)
        let bias = randomWeight([n], dtype: .bf16, placement: placement, seed: 3)
        let expected = referenceLinear(doubles(x), doubles(weight), doubles(bias), m: m, k: k, n: n)
        expectClose(linear(x, weight: weight, bias: bias), expected)
        let withoutBias = referenceLinear(doubles(x), doubles(weight), nil, m: m, k: k, n: n)
        expectClose(linear(x, weight: weight), withoutBias)
    }

    @Test func linearHandComputed() {
        let x = Tensor(shape: [2, 3], [Float](arrayLiteral: 1, 2, 3, 4, 5, 6))
        let weight = Tensor(shape: [2, 3], [Float](arrayLiteral: 1, 0, -1, 0.5, 0.5, 0.5)).converted(to: .bf16)
        let bias = Tensor(shape: [2], [Float](arrayLiteral: 10, -1))
        #expect(linear(x, weight: weight, bias: bias).floats() == [8, 2, 8, 6.5])
    }

    @Test func linearKeepsLeadingAxesAndWritesIntoPreallocatedOutput() {
        let x = randomTensor([2, 3, 8], seed: 4)
        let weight = randomWeight([5, 8], dtype: .bf16, seed: 5)
        let output = Tensor(shape: [2, 3, 5], [Float](repeating: .nan, count: 30))
        linear(x, weight: weight, into: output)
        expectClose(output, referenceLinear(doubles(x), doubles(weight), nil, m: 6, k: 8, n: 5))
    }

    @Test func linearWithEmptyInnerDimensionIsTheBias() {
        let x = Tensor(zeros: [2, 0])
        let weight = Tensor(zeros: [3, 0], dtype: .bf16)
        let bias = Tensor(shape: [3], [Float](arrayLiteral: 1, 2, 3))
        #expect(linear(x, weight: weight, bias: bias).floats() == [1, 2, 3, 1, 2, 3])
        #expect(linear(x, weight: weight).floats() == [Float](repeating: 0, count: 6))
    }

    @Test func conversionBlocksStayBounded() {
        // A weight narrower than 256 rows' worth of the element budget is cut by rows;
        // a very wide one by the element budget.
        var blocks: [Range<Int>] = []
        let weight = Tensor(zeros: [10, 3], dtype: .bf16)
        forEachFloatRowBlock(of: weight, rows: 10, columns: 3, maxBlockRows: 4, maxBlockElements: 100,
                             for: "test") { rows, _ in blocks.append(rows) }
        #expect(blocks == [0..<4, 4..<8, 8..<10])
        blocks = []
        forEachFloatRowBlock(of: weight, rows: 10, columns: 3, maxBlockRows: 256, maxBlockElements: 7,
                             for: "test") { rows, _ in blocks.append(rows) }
        #expect(blocks.count == 5 && blocks.allSatisfy { $0.count == 2 })
    }

    @Test func matmulMatchesReference() {
        let (m, k, n) = (4, 19, 7)
        let a = randomTensor([m, k], seed: 6), b = randomTensor([k, n], seed: 7)
        // Reference: a · b is a · (bᵀ)ᵀ.
        let bData = doubles(b)
        let bTransposed = (0..<n).flatMap { column in (0..<k).map { bData[$0 * n + column] } }
        let expected = referenceLinear(doubles(a), bTransposed, nil, m: m, k: k, n: n)
        expectClose(matmul(a, b), expected)
        let output = Tensor(zeros: [m, n])
        matmul(a, b, into: output)
        expectClose(output, expected)
    }

    @Test func matmulHandComputed() {
        let a = Tensor(shape: [2, 2], [Float](arrayLiteral: 1, 2, 3, 4))
        let b = Tensor(shape: [2, 2], [Float](arrayLiteral: 5, 6, 7, 8))
        #expect(matmul(a, b).floats() == [19, 22, 43, 50])
        #expect(matmulTransposed(a, b).floats() == [17, 23, 39, 53])
    }

    @Test func matmulTransposedMatchesReference() {
        let a = randomTensor([5, 12], seed: 8), b = randomTensor([9, 12], seed: 9)
        expectClose(matmulTransposed(a, b), referenceLinear(doubles(a), doubles(b), nil, m: 5, k: 12, n: 9))
    }

    @Test func linearRejectsMismatchedShapes() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = linear(Tensor(zeros: [2, 3]), weight: Tensor(zeros: [4, 5]))
        } .map { result in
            #expect(String(decoding: result.standardErrorContent, as: UTF8.self).contains("linear: input [2, 3]"))
        }
    }
}
