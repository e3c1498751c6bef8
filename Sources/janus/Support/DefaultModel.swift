import Foundation
import JanusCheckpoint
import JanusModels

/// The model `janus` runs when no `--model` is given: the tiny Janus-Pro shapes with
/// UNTRAINED (random, seeded) weights, so every command works on a fresh machine
/// without a download. It is written once in the published checkpoint layout and read
/// back through the same loader as a real checkpoint.
enum DefaultModel {
    /// Bump when the shapes, the seed or the files change, so caches are rebuilt.
    static let version = "tiny-v1"
    static let seed: UInt64 = 20_250_127

    /// The directory holding the default checkpoint, created on first use.
    static func directory() throws -> String {
        let target = cacheRoot().appendingPathComponent("default-\(version)")
        if FileManager.default.fileExists(atPath: target.appendingPathComponent("model.safetensors").path) {
            return target.path
        }
        try materialize(at: target)
        return target.path
    }

    private static func cacheRoot() -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let custom = environment["JANUS_CACHE_DIR"], !custom.isEmpty { return URL(fileURLWithPath: custom) }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("janus")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/janus")
    }

    /// Writes the checkpoint into a private folder, then renames it into place, so a
    /// concurrent first run never sees half a model.
    private static func materialize(at target: URL) throws {
        status("janus: writing the untrained default model to \(target.path) (once)")
        let parent = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".staging-\(version)-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }

        guard let resources = Bundle.module.url(forResource: "DefaultModel", withExtension: nil) else {
            throw CheckpointError(file: "janus resources", reason: "the DefaultModel resource folder is missing")
        }
        for name in try FileManager.default.contentsOfDirectory(atPath: resources.path) {
            try FileManager.default.copyItem(at: resources.appendingPathComponent(name),
                                             to: staging.appendingPathComponent(name))
        }
        let shape = ModelShape.tiny
        try Data(shape.configJSON.utf8).write(to: staging.appendingPathComponent("config.json"))
        let synthetic = SyntheticWeights(seed: seed)
        _ = try JanusModel(weights: Weights(synthetic), configuration: try shape.configuration)
        try SafetensorsWriter.write(synthetic.tensors, metadata: ["format": "pt", "janus_default_model": version],
                                    to: staging.appendingPathComponent("model.safetensors").path)
        do {
            try FileManager.default.moveItem(at: staging, to: target)
        } catch where FileManager.default.fileExists(atPath: target.appendingPathComponent("model.safetensors").path) {
            // Another process finished first; its copy is identical.
        }
    }
}
