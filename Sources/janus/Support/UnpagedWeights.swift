import Foundation
import JanusCheckpoint
import JanusModels
import JanusTensor

/// Weights from `base`, except the tensors named in `unread`: those are zeros in a sparse,
/// already-deleted file, mapped read-only.
///
/// This is how a real checkpoint behaves for a tensor that a job loads but never reads
/// (e.g. `lm_head` during image generation): it is mapped, and its pages cost no memory
/// until something touches them. Synthetic weights would instead fill it with random
/// values in private memory, and a benchmark's RSS would count weights the job never uses.
struct UnpagedWeights: WeightProvider {
    let base: any WeightProvider
    let unread: Set<String>
    /// The dtype the unread tensors are stored in (a checkpoint's: bf16 for Janus-Pro).
    var dtype: DType = .bf16

    func contains(_ name: String) -> Bool { base.contains(name) }

    func release(_ name: String, tensor: Tensor) { base.release(name, tensor: tensor) }

    func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        guard unread.contains(name) else { return try base.tensor(name, shape: shape) }
        return try Self.unpagedZeros(shape: shape, dtype: dtype)
    }

    static func unpagedZeros(shape: [Int], dtype: DType) throws -> Tensor {
        let byteCount = shape.reduce(1, *) * dtype.size
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("janus-unpaged-\(getpid())-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CheckpointError(file: url.path, reason: "cannot create a temporary file")
        }
        // The mapping outlives the name: nothing is left behind, whatever happens next.
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(byteCount))  // a hole: no blocks on disk, zeros when read
        try handle.close()
        let file = try MappedFile(path: url.path)
        return Tensor(storage: TensorStorage(mapped: file, offset: 0, byteCount: byteCount), dtype: dtype, shape: shape)
    }
}
