import JanusTensor
import Testing

@Suite struct SamplingTests {
    @Test func argmaxPrefersTheFirstOfEqualValues() {
        let x = Tensor(shape: [3, 4], [Float](arrayLiteral: 1, 5, 5, 2, -3, -1, -2, -1, 0, 0, 0, 0))
        #expect(argmax(x) == [1, 1, 0])
    }

    @Test func argmaxTreatsNaNAsLargest() {
        let x = Tensor(shape: [2, 4], [Float](arrayLiteral: 1, .nan, 9, .nan, .infinity, 1, 2, 3))
        #expect(argmax(x) == [1, 0])
    }

    @Test func argmaxMatchesReferenceOnLargeRows() {
        let x = randomTensor([3, 102_400], seed: 80, in: -30...30)
        let values = x.floats()
        let expected = (0..<3).map { row in
            let slice = values[row * 102_400..<(row + 1) * 102_400]
            return slice.indices.max { slice[$0] < slice[$1] || (slice[$0] == slice[$1] && $0 > $1) }! - row * 102_400
        }
        #expect(argmax(x) == expected)
    }

    @Test func topKReturnsLargestFirstWithTiesInIndexOrder() {
        let x = Tensor(shape: [2, 6], [Float](arrayLiteral: 3, 1, 4, 1, 5, 9, 2, 7, 7, 1, .nan, 7))
        let result = topK(x, k: 3)
        #expect(result[0] == TopK(values: [9, 5, 4], indices: [5, 4, 2]))
        #expect(result[1].indices == [4, 1, 2])
        #expect(result[1].values[0].isNaN && result[1].values[1...] == [7, 7])
        #expect(topK(x, k: 0)[0] == TopK(values: [], indices: []))
    }

    @Test func topKMatchesSortingReference() {
        let x = randomTensor([4, 5000], seed: 81)
        let values = x.floats()
        for (row, result) in topK(x, k: 50).enumerated() {
            let order = (0..<5000).sorted { a, b in
                let (va, vb) = (values[row * 5000 + a], values[row * 5000 + b])
                return va > vb || (va == vb && a < b)
            }
            #expect(result.indices == Array(order.prefix(50)))
            #expect(result.values == order.prefix(50).map { values[row * 5000 + $0] })
        }
    }
}
