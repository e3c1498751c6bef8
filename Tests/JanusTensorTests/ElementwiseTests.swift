import JanusTensor
import Testing

@Suite struct ElementwiseTests {
    @Test(arguments: [DType.f32, .bf16])
    func addAndMultiplyMatchReference(secondDType: DType) {
        let a = randomTensor([3, 4, 5], seed: 10)
        let b = randomWeight([3, 4, 5], dtype: secondDType, seed: 11)
        let (left, right) = (doubles(a), doubles(b))
        expectClose(add(a, b), zip(left, right).map { $0 + $1 })
        expectClose(multiply(a, b), zip(left, right).map { $0 * $1 })
    }

    @Test(arguments: WeightPlacement.allCases)
    func trailingShapesBroadcast(placement: WeightPlacement) {
        let a = randomTensor([2, 3, 4], seed: 12)
        let row = randomWeight([4], dtype: .bf16, placement: placement, seed: 13)
        let plane = randomTensor([3, 4], seed: 14)
        let (values, rowValues, planeValues) = (doubles(a), doubles(row), doubles(plane))
        expectClose(add(a, row), values.indices.map { values[$0] + rowValues[$0 % 4] })
        expectClose(multiply(a, plane), values.indices.map { values[$0] * planeValues[$0 % 12] })
    }

    @Test func handComputed() {
        let a = Tensor(shape: [2, 2], [Float](arrayLiteral: 1, 2, 3, 4))
        let bias = Tensor(shape: [2], [Float](arrayLiteral: 10, 20))
        #expect(add(a, bias).floats() == [11, 22, 13, 24])
        #expect(multiply(a, bias).floats() == [10, 40, 30, 80])
        #expect(scale(a, by: -0.5).floats() == [-0.5, -1, -1.5, -2])
    }

    @Test func inPlaceVariantsOverwriteTheirInput() {
        let a = Tensor(shape: [3], [Float](arrayLiteral: 1, 2, 3))
        let b = Tensor(shape: [3], [Float](arrayLiteral: 4, 5, 6))
        add(a, b, into: a)
        #expect(a.floats() == [5, 7, 9])
        multiply(a, b, into: a)
        #expect(a.floats() == [20, 35, 54])
        scale(a, by: 0.5, into: a)
        #expect(a.floats() == [10, 17.5, 27])
        #expect(b.floats() == [4, 5, 6])
    }

    @Test func nonBroadcastableShapesAreRejected() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = add(Tensor(zeros: [2, 3]), Tensor(zeros: [2]))
        } .map { result in
            #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
                .contains("add: shape [2] does not broadcast onto [2, 3]"))
        }
    }
}
