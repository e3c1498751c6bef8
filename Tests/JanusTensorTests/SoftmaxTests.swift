import Foundation
import JanusTensor
import Testing

private func referenceSoftmax(_ row: ArraySlice<Double>, temperature: Double = 1) -> [Double] {
    let scaled = row.map { $0 / temperature }
    let shift = scaled.max()!
    let total = scaled.reduce(0) { $0 + exp($1 - shift) }
    return scaled.map { exp($0 - shift) / total }
}

private func rowwise(_ values: [Double], width: Int, _ transform: (ArraySlice<Double>) -> [Double]) -> [Double] {
    stride(from: 0, to: values.count, by: width).flatMap { transform(values[$0..<$0 + width]) }
}

@Suite struct SoftmaxTests {
    @Test func softmaxOfOneTwoThree() {
        let x = Tensor(shape: [3], [Float](arrayLiteral: 1, 2, 3))
        expectClose(softmax(x), [0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
                    relative: 1e-6, absolute: 0)
        expectClose(logSoftmax(x), [-2.4076059644443806, -1.4076059644443804, -0.4076059644443803],
                    relative: 1e-6, absolute: 0)
    }

    @Test func largeLogitsDoNotOverflow() {
        let x = Tensor(shape: [3], [Float](arrayLiteral: 1000, 1001, 1002))
        expectClose(softmax(x), [0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
                    relative: 1e-6, absolute: 0)
    }

    @Test(arguments: [Float(1), 0.7, 2])
    func softmaxAndLogSoftmaxMatchReference(temperature: Float) {
        let x = randomTensor([7, 301], seed: 40, in: -20...20)
        let expected = rowwise(doubles(x), width: 301) { referenceSoftmax($0, temperature: Double(temperature)) }
        expectClose(softmax(x, temperature: temperature), expected)
        expectClose(logSoftmax(x, temperature: temperature), expected.map { log($0) }, relative: 1e-5, absolute: 1e-5)
        softmax(x, temperature: temperature, into: x)
        expectClose(x, expected)
    }

    @Test func maskedEntriesGetZeroProbability() {
        let scores = Tensor(shape: [2, 3, 4], [Float](repeating: 0, count: 24))
        applyCausalMask(scores, queryOffset: 1)
        let inf = -Float.infinity
        let matrix: [Float] = [0, 0, inf, inf, 0, 0, 0, inf, 0, 0, 0, 0]
        #expect(scores.floats() == matrix + matrix)
        let probabilities = softmax(scores).floats()
        #expect(Array(probabilities.prefix(4)) == [0.5, 0.5, 0, 0])
        #expect(Array(probabilities[8..<12]) == [0.25, 0.25, 0.25, 0.25])
    }

    @Test func fullyMaskedRowIsNaNLikeTorch() {
        let x = Tensor(shape: [2], [Float](arrayLiteral: -.infinity, -.infinity))
        let probabilities = softmax(x).floats()
        #expect(probabilities.allSatisfy { $0.isNaN })
    }
}
