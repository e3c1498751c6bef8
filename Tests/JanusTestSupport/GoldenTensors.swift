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
