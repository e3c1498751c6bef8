import JanusTensor
import Testing

/// How two tensors differ under `|actual − expected| ≤ atol + rtol·|expected|`
/// (the golden-set rule, numpy's `allclose` with `expected` as the reference).
struct TensorComparison: CustomStringConvertible {
    var count = 0
    var failures = 0
    var maxAbsoluteError = 0.0
    /// Flat index, multi-index and values of the first element out of tolerance.
    var firstFailure: (flat: Int, index: [Int], actual: Double, expected: Double)?

    var passed: Bool { failures == 0 }

    var description: String {
        var text = "\(failures) of \(count) values out of tolerance, max |error| \(maxAbsoluteError)"
        if let first = firstFailure {
            text += "; first at \(first.index) (flat \(first.flat)): \(first.actual) vs expected \(first.expected)"
        }
        return text
    }

    /// Compares element by element, any dtypes (values widened to f32, then Double).
    /// NaN matches only NaN; infinities must be equal.
    init(actual: Tensor, expected: Tensor, atol: Double, rtol: Double) {
        precondition(actual.shape == expected.shape, "compare shapes first")
        let values = actual.floats(), references = expected.floats()
        count = values.count
        for flat in 0..<values.count {
            let (value, reference) = (Double(values[flat]), Double(references[flat]))
            let ok: Bool
            if value.isNaN || reference.isNaN {
                ok = value.isNaN && reference.isNaN
            } else if value.isInfinite || reference.isInfinite {
                ok = value == reference
            } else {
                let error = abs(value - reference)
                maxAbsoluteError = max(maxAbsoluteError, error)
                ok = error <= atol + rtol * abs(reference)
            }
            if !ok {
                failures += 1
                if firstFailure == nil {
                    firstFailure = (flat, Self.multiIndex(flat, shape: actual.shape), value, reference)
                }
            }
        }
    }

    static func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}

/// Records an issue (shape mismatch, or the count, max error and first failing index)
/// unless `actual` is within `atol + rtol·|expected|` of `expected` everywhere.
/// Works for f32, bf16, f16 and integer tensors alike (e.g. uint8 images with atol 1).
@discardableResult
func expectClose(actual: Tensor, expected: Tensor, atol: Double, rtol: Double, _ comment: Comment? = nil,
                 sourceLocation: SourceLocation = #_sourceLocation) -> TensorComparison? {
    let label = comment.map { "\($0): " } ?? ""
    guard actual.shape == expected.shape else {
        Issue.record("\(label)shape \(actual.shape), expected \(expected.shape)", sourceLocation: sourceLocation)
        return nil
    }
    let comparison = TensorComparison(actual: actual, expected: expected, atol: atol, rtol: rtol)
    if !comparison.passed {
        Issue.record("\(label)\(comparison)", sourceLocation: sourceLocation)
    }
    return comparison
}

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
