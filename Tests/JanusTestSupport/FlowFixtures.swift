import Foundation
import JanusCheckpoint
import JanusTensor
import Testing

/// The JanusFlow + SDXL-VAE golden set, copied from the reference data into
/// Tests/Fixtures/flow (see its README.md). Tensors and their tolerances are looked up
/// through fixtures.json by case and tensor key, so tests state what they compare and
/// never restate a tolerance.
public enum FlowFixtures {
    public static let root: URL = Fixtures.url("flow")

    public static func path(_ relativePath: String) -> String { root.appendingPathComponent(relativePath).path }

    /// The tiny JanusFlow checkpoint and the tiny SDXL-VAE.
    public static let model = path("models/janusflow-tiny-a")
    public static let vae = path("models/sdxl-vae-tiny-a")

    /// The case named `name` in flow/fixtures.json.
    public static func goldenCase(named name: String) throws -> [String: Any] {
        try Fixtures.goldenCase(named: name, of: root)
    }

    /// The `tensors[key]` entry of a case: file, tensor name, tolerance.
    public static func entry(_ caseName: String, _ key: String) throws -> [String: Any] {
        guard let entry = (try goldenCase(named: caseName)["tensors"] as? [String: Any])?[key] as? [String: Any] else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSDebugDescriptionErrorKey: "no tensor \(key) in \(caseName)"])
        }
        return entry
    }

    /// The tensor `key` of case `caseName`.
    public static func tensor(_ caseName: String, _ key: String) throws -> Tensor {
        let entry = try entry(caseName, key)
        guard let file = entry["file"] as? String, let name = entry["tensor"] as? String else {
            throw CocoaError(.coderReadCorrupt)
        }
        return try SafetensorsFile(path: path(file)).tensor(name)
    }

    public static func ids(_ caseName: String, _ key: String) throws -> [Int] {
        try tensor(caseName, key).integers().map(Int.init)
    }

    /// The case's stated tolerance for `key` (`|actual − expected| ≤ atol + rtol·|expected|`).
    public static func tolerance(_ caseName: String, _ key: String) throws -> (atol: Double, rtol: Double) {
        guard let tolerance = try entry(caseName, key)["tolerance"] as? [String: Any],
              let atol = (tolerance["atol"] as? NSNumber)?.doubleValue,
              let rtol = (tolerance["rtol"] as? NSNumber)?.doubleValue else {
            throw CocoaError(.coderReadCorrupt, userInfo: [NSDebugDescriptionErrorKey: "no tolerance for \(caseName).\(key)"])
        }
        return (atol, rtol)
    }
}

/// Compares `actual` with the golden tensor `key` of case `caseName` under the
/// tolerance fixtures.json states for it.
@discardableResult
public func expectGolden(_ actual: Tensor, _ caseName: String, _ key: String,
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> TensorComparison? {
    let (atol, rtol) = try FlowFixtures.tolerance(caseName, key)
    return expectClose(actual: actual, expected: try FlowFixtures.tensor(caseName, key), atol: atol, rtol: rtol,
                       "\(caseName).\(key)", sourceLocation: sourceLocation)
}
