import JanusTensor
import Testing

/// How two tensors differ under `|actual − expected| ≤ atol + rtol·|expected|`
/// (the golden-set rule, numpy's `allclose` with `expected` as the reference).
public struct TensorComparison: CustomStringConvertible, Sendable {
    public var count = 0
    public var failures = 0
    public var maxAbsoluteError = 0.0
    /// Flat index, multi-index and values of the first element out of tolerance.
    public var firstFailure: (flat: Int, index: [Int], actual: Double, expected: Double)?

    public var passed: Bool { failures == 0 }

    public var description: String {
        var text = "\(failures) of \(count) values out of tolerance, max |error| \(maxAbsoluteError)"
        if let first = firstFailure {
            text += "; first at \(first.index) (flat \(first.flat)): \(first.actual) vs expected \(first.expected)"
        }
        return text
    }

    /// Compares element by element, any dtypes (values widened to f32, then Double).
    /// NaN matches only NaN; infinities must be equal.
    public init(actual: Tensor, expected: Tensor, atol: Double, rtol: Double) {
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

    public static func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
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
public func expectClose(actual: Tensor, expected: Tensor, atol: Double, rtol: Double, _ comment: Comment? = nil,
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
