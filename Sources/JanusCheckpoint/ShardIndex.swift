import Foundation

/// A sharded checkpoint's index (`model.safetensors.index.json`,
/// `pytorch_model.bin.index.json`): `{"metadata": {...}, "weight_map": {tensor: shard}}`.
/// Only `weight_map` matters; it is the authority on which tensors the checkpoint has.
struct ShardIndex {
    let path: String
    /// Tensor name → shard file name (relative to the index's directory).
    let weightMap: [String: String]

    /// The distinct shard files, sorted.
    var shardFiles: [String] { Set(weightMap.values).sorted() }

    private struct Contents: Decodable {
        let weightMap: [String: String]
        enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
    }

    init(path: String) throws {
        self.path = path
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CheckpointError(file: path, reason: "cannot read the index (\(error.localizedDescription))")
        }
        do {
            weightMap = try JSONDecoder().decode(Contents.self, from: data).weightMap
        } catch let error as DecodingError {
            let (jsonPath, detail) = error.summary
            let location = jsonPath.isEmpty ? "" : " at \(DecodingError.pathText(jsonPath))"
            throw CheckpointError(file: path, reason: "not a valid index\(location): \(detail) (expected a JSON "
                                  + "object whose \"weight_map\" maps tensor names to shard files)")
        }
        guard !weightMap.isEmpty else {
            throw CheckpointError(file: path, reason: "the index's weight_map lists no tensors")
        }
        for (name, shard) in weightMap where !Self.isPlainRelativePath(shard) {
            // An index from the internet must not make us open files outside the directory.
            throw CheckpointError(file: path, key: name, reason: "shard \"\(shard)\" is not a file inside "
                                  + "the checkpoint directory")
        }
    }

    private static func isPlainRelativePath(_ name: String) -> Bool {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        return !name.isEmpty && !name.hasPrefix("/") && !components.contains("..") && !components.contains("")
    }
}
