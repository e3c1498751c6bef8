import JanusTensor
import JanusTestSupport
import Testing

@Suite struct TensorComparisonTests {
    @Test func reportsCountMaxErrorAndFirstFailingIndex() {
        let expected = Tensor(shape: [2, 3], [Float](arrayLiteral: 0, 1, 2, 3, 4, 100))
        let actual = Tensor(shape: [2, 3], [Float](arrayLiteral: 0, 1.5, 2, 3, 4.0001, 100.05))
        let comparison = TensorComparison(actual: actual, expected: expected, atol: 1e-3, rtol: 1e-3)
        #expect(comparison.failures == 1)
        #expect(comparison.firstFailure?.index == [0, 1])
        #expect(abs(comparison.maxAbsoluteError - 0.5) < 1e-9)
        #expect(TensorComparison(actual: actual, expected: expected, atol: 0.5, rtol: 0).passed)
    }

    @Test func comparesIntegerTensorsAndNaNs() {
        let bytes = Tensor(shape: [4], [UInt8](arrayLiteral: 0, 10, 254, 255))
        let shifted = Tensor(shape: [4], [UInt8](arrayLiteral: 1, 9, 255, 253))
        let comparison = TensorComparison(actual: shifted, expected: bytes, atol: 1, rtol: 0)
        #expect(comparison.failures == 1 && comparison.firstFailure?.flat == 3)
        let nan = Tensor(shape: [2], [Float](arrayLiteral: .nan, 1))
        #expect(TensorComparison(actual: nan, expected: nan, atol: 0, rtol: 0).passed)
        #expect(!TensorComparison(actual: nan, expected: Tensor(shape: [2], [Float](arrayLiteral: 0, 1)),
                                  atol: 10, rtol: 0).passed)
    }
}
