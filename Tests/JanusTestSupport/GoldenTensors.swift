import JanusCheckpoint
import JanusTensor

/// Tensors of the golden fixture files (`Tests/Fixtures/fixtures/*.safetensors`).
public enum GoldenTensors {
    /// `tensor` from `fixtures/<file>`, e.g. `load("llm.safetensors", "llm.text.logits")`.
    public static func load(_ file: String, _ tensor: String) throws -> Tensor {
        try SafetensorsFile(path: Fixtures.path("fixtures/\(file)")).tensor(tensor)
    }

    public static func ids(_ file: String, _ tensor: String) throws -> [Int] {
        try load(file, tensor).integers().map(Int.init)
    }
}

/// How far `actual` is from `expected` under `|a − e| ≤ atol + rtol·|e|` (the fixtures'
/// tolerance rule). Tests assert `.passed` and print the description on failure.
public struct Closeness: CustomStringConvertible, Sendable {
    public let passed: Bool
    public let maxAbsoluteError: Float
    public let failures: Int
    public let firstFailure: (index: Int, actual: Float, expected: Float)?
    public let shapeMismatch: String?

    public init(_ actual: Tensor, _ expected: Tensor, atol: Float, rtol: Float) {
        guard actual.elementCount == expected.elementCount else {
            passed = false
            maxAbsoluteError = .infinity
            failures = max(actual.elementCount, expected.elementCount)
            firstFailure = nil
            shapeMismatch = "shape \(actual.shape) vs expected \(expected.shape)"
            return
        }
        let a = actual.floats(), e = expected.floats()
        var worst: Float = 0, count = 0
        var first: (Int, Float, Float)?
        for index in a.indices {
            let error = abs(a[index] - e[index])
            worst = max(worst, error.isNaN ? .infinity : error)
            if !(error <= atol + rtol * abs(e[index])) {
                count += 1
                if first == nil { first = (index, a[index], e[index]) }
            }
        }
        passed = count == 0
        maxAbsoluteError = worst
        failures = count
        firstFailure = first
        shapeMismatch = nil
    }

    public var description: String {
        if let shapeMismatch { return shapeMismatch }
        var text = "max |error| \(maxAbsoluteError), \(failures) outside tolerance"
        if let f = firstFailure { text += "; first at \(f.index): \(f.actual) vs \(f.expected)" }
        return text
    }
}
