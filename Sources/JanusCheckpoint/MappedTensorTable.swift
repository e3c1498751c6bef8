import JanusTensor

/// Where one validated tensor lives inside a mapped file.
struct StoredTensor: Sendable {
    let info: TensorInfo
    /// Absolute offset of the first element in the mapped file.
    let byteOffset: Int
    /// Element strides when the stored layout is not row-major contiguous (PyTorch views);
    /// nil for the usual contiguous layout. Every element the strides reach was checked to
    /// lie inside the file.
    let elementStrides: [Int]?
}

/// The tensors of one memory-mapped file, shared by the safetensors and PyTorch readers.
///
/// Entries are validated when the file is opened, so building a `Tensor` (whose
/// initialiser uses preconditions) from them cannot trap.
struct MappedTensorTable: Sendable {
    let path: String
    /// The whole file as read-only storage; tensors are views into it.
    let storage: TensorStorage
    let entries: [String: StoredTensor]
    let sortedNames: [String]

    init(path: String, storage: TensorStorage, entries: [String: StoredTensor]) {
        self.path = path
        self.storage = storage
        self.entries = entries
        sortedNames = entries.keys.sorted()
    }

    func info(_ name: String) -> TensorInfo? { entries[name]?.info }

    func tensor(_ name: String) throws -> Tensor {
        guard let entry = entries[name] else {
            throw CheckpointError(file: path, key: name, reason: "no such tensor in this file")
        }
        if let strides = entry.elementStrides {
            return StridedCopy.contiguousTensor(from: storage, at: entry.byteOffset, strides: strides,
                                                dtype: entry.info.dtype, shape: entry.info.shape)
        }
        return Tensor(storage: storage, byteOffset: entry.byteOffset,
                      dtype: entry.info.dtype, shape: entry.info.shape)
    }
}

extension MappedFile {
    /// Maps `path`, reporting failure as a `CheckpointError`.
    static func openForCheckpoint(path: String) throws -> MappedFile {
        do {
            return try MappedFile(path: path)
        } catch let error as MappedFile.OpenError {
            throw CheckpointError(file: path, reason: error.reason)
        }
    }
}
