import Foundation

/// Locations of the test fixtures (copied from the golden reference set into
/// Tests/Fixtures so the tests never reach outside the repository).
public enum Fixtures {
    public static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    public static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }
    public static func path(_ relativePath: String) -> String { url(relativePath).path }

    /// The tiny Janus-Pro checkpoint in its three published layouts.
    public static let safetensorsModel = path("models/janus-pro-tiny-a")
    public static let binModel = path("models/janus-pro-tiny-a-bin")
    public static let shardedBinModel = path("models/janus-pro-tiny-a-bin-sharded")

    /// fixtures.json (of the golden set at `set`) parsed as plain JSON.
    public static func manifest(of set: URL = root) throws -> [String: Any] {
        let data = try Data(contentsOf: set.appendingPathComponent("fixtures.json"))
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CocoaError(.coderReadCorrupt)
        }
        return object
    }

    /// The case named `name` in fixtures.json (of the golden set at `set`).
    public static func goldenCase(named name: String, of set: URL = root) throws -> [String: Any] {
        let cases = try manifest(of: set)["cases"] as? [[String: Any]] ?? []
        guard let found = cases.first(where: { $0["name"] as? String == name }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSDebugDescriptionErrorKey: "no golden case \(name)"])
        }
        return found
    }

    /// A scratch directory unique to one test, removed by the caller.
    public static func temporaryDirectory(_ label: String = "janus-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
