import Foundation
import JanusTensor
import Testing

@Suite struct ReductionTests {
    @Test func sumMeanMaxMatchReference() {
        let x = randomTensor([3, 2, 1001], seed: 90, in: -5...5)
        let rows = stride(from: 0, to: 6006, by: 1001).map { doubles(x)[$0..<$0 + 1001] }
        let sums = rows.map { $0.reduce(0, +) }
        #expect(sumLastAxis(x).shape == [3, 2])
        expectClose(sumLastAxis(x), sums, relative: 1e-5, absolute: 1e-4)
        expectClose(meanLastAxis(x), sums.map { $0 / 1001 }, relative: 1e-5, absolute: 1e-6)
        expectClose(maxLastAxis(x), rows.map { $0.max()! }, relative: 0, absolute: 0)
    }

    @Test func longSumsStayAccurate() {
        // 2M values near 1: a naive f32 running sum would be off by far more than 1e-6.
        let x = randomTensor([1 << 21], seed: 91, in: 0.9...1.1)
        let exact = doubles(x).reduce(0, +)
        expectClose(sumLastAxis(x), [exact], relative: 1e-6, absolute: 0)
    }

    @Test func handComputed() {
        let x = Tensor(shape: [2, 3], [Float](arrayLiteral: 1, 2, 3, -4, 0, .nan))
        #expect(sumLastAxis(x).floats()[0] == 6)
        #expect(meanLastAxis(x).floats()[0] == 2)
        let maxima = maxLastAxis(x).floats()
        #expect(maxima[0] == 3 && maxima[1].isNaN)
    }

    @Test func l2NormalizeMatchesReferenceAndClampsTinyNorms() {
        let x = randomTensor([4, 33], seed: 92)
        let expected = stride(from: 0, to: 132, by: 33).flatMap { start in
            let row = doubles(x)[start..<start + 33]
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return row.map { $0 / norm }
        }
        expectClose(l2Normalize(x), expected)
        let known = Tensor(shape: [2, 2], [Float](arrayLiteral: 3, 4, 0, 0))
        #expect(l2Normalize(known).floats() == [0.6, 0.8, 0, 0])
        l2Normalize(known, into: known)
        #expect(known.floats() == [0.6, 0.8, 0, 0])
        // A norm below eps divides by eps instead.
        let tiny = Tensor(shape: [2], [Float](arrayLiteral: 1e-13, 0))
        expectClose(l2Normalize(tiny, eps: 1e-12), [0.1, 0], relative: 1e-6, absolute: 0)
    }
}
