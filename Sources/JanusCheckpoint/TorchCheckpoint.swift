import Foundation
import JanusTensor

/// A PyTorch `torch.save` file (`pytorch_model.bin`, torch ≥ 1.6): a ZIP archive holding
/// `<archive>/data.pkl`, a pickled state dict whose tensors point at raw storages
/// `<archive>/data/<key>`. The file is memory-mapped; contiguous tensors are views into
/// it, and tensors saved as non-contiguous views are materialised as contiguous copies
/// when read. The pickle runs through a whitelist, never through code execution.
public final class TorchCheckpointFile: TensorFile {
    public let path: String
    private let table: MappedTensorTable

    public var tensorNames: [String] { table.sortedNames }
    public func info(_ name: String) -> TensorInfo? { table.info(name) }
    public func tensor(_ name: String) throws -> Tensor { try table.tensor(name) }

    /// Opens and validates `path`; `TensorInfo.file` will be its last path component.
    public convenience init(path: String) throws {
        try self.init(path: path, relativeName: (path as NSString).lastPathComponent)
    }

    init(path: String, relativeName: String) throws {
        self.path = path
        let file = try MappedFile.openForCheckpoint(path: path)
        try Self.rejectKnownNonZipFormats(file, path: path)
        let archive = try ZipArchive(file: file, path: path)
        let prefix = try Self.archivePrefix(of: archive)
        try Self.checkByteOrder(archive, prefix: prefix)

        let pickleEntry = prefix + "data.pkl"
        let root = try PickleMachine.unpickle(try archive.storedData(of: pickleEntry), file: path,
                                              entry: pickleEntry, semantics: TorchPickleSemantics())
        guard case .dict(let stateDict) = root else {
            throw CheckpointError(file: path, reason: "\(pickleEntry) does not hold a state dict (found \(root.kind))")
        }
        let locator = StorageLocator(archive: archive, prefix: prefix, path: path)
        var entries: [String: StoredTensor] = [:]
        for (key, value) in stateDict.items {
            guard case .string(let name) = key else {
                throw CheckpointError(file: path, reason: "state dict key is not a string (found \(key.kind))")
            }
            guard case .tensor(let record) = value else {
                throw CheckpointError(file: path, key: name, reason: "value is not a tensor (found \(value.kind))")
            }
            entries[name] = try locator.locate(record, name: name, relativeName: relativeName)
        }
        table = MappedTensorTable(path: path, storage: TensorStorage(mapped: file, offset: 0, byteCount: file.byteCount),
                                  entries: entries)
    }

    /// Clear messages for the usual mix-ups, before the ZIP parser says "not a ZIP".
    private static func rejectKnownNonZipFormats(_ file: MappedFile, path: String) throws {
        let bytes = file.bytes(at: 0, count: file.byteCount)
        guard !ZipArchive.hasZipSignature(bytes), let first = bytes.first else { return }
        if first == 0x80 {
            throw CheckpointError(file: path, reason: "legacy (pre-1.6) torch.save format, not a ZIP archive; "
                                  + "re-save it with a current torch or convert it to safetensors")
        }
        if bytes.count > 9, bytes[8] == UInt8(ascii: "{"),
           UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self)) <= UInt64(bytes.count - 8) {
            throw CheckpointError(file: path, reason: "this looks like a safetensors file, not a torch.save ZIP archive")
        }
    }

    /// torch puts every entry under one folder (`pytorch_model/`, `archive/`, ...);
    /// the folder holding `data.pkl` is it.
    private static func archivePrefix(of archive: ZipArchive) throws -> String {
        for entry in archive.entries {
            let components = entry.name.split(separator: "/", omittingEmptySubsequences: false)
            if components.count == 2 && components[1] == "data.pkl" { return components[0] + "/" }
        }
        throw CheckpointError(file: archive.path, reason: "ZIP archive has no <archive>/data.pkl entry; "
                              + "not a torch.save checkpoint")
    }

    /// Storages are raw native-endian bytes; only little-endian files can be viewed directly.
    private static func checkByteOrder(_ archive: ZipArchive, prefix: String) throws {
        let name = prefix + "byteorder"
        guard archive.entry(named: name) != nil else { return }  // older files: always little-endian
        let bytes = try archive.storedData(of: name)
        let order = String(decoding: bytes, as: UTF8.self)
        guard order == "little" else {
            throw CheckpointError(file: archive.path, reason: "storages are \(order)-endian; only little-endian "
                                  + "checkpoints are supported")
        }
    }
}

/// Resolves tensor records to validated byte locations in the archive.
private struct StorageLocator {
    let archive: ZipArchive
    let prefix: String
    let path: String

    func locate(_ record: TorchTensorRecord, name: String, relativeName: String) throws -> StoredTensor {
        func failure(_ reason: String) -> CheckpointError { CheckpointError(file: path, key: name, reason: reason) }
        let storage = record.storage
        guard let dtype = storage.dtype else {
            throw failure("unsupported dtype \(storage.typeName) (supported: BFloat16Storage, HalfStorage, "
                          + "FloatStorage, LongStorage, IntStorage, CharStorage, ByteStorage)")
        }
        guard record.shape.allSatisfy({ $0 >= 0 }) else {
            throw failure("negative dimension in shape \(record.shape)")
        }
        guard let byteCount = ShapeArithmetic.byteCount(record.shape, dtype: dtype) else {
            throw failure("shape \(record.shape) is too large")
        }
        guard record.strides.count == record.shape.count, record.storageOffset >= 0,
              let extent = StridedCopy.elementExtent(shape: record.shape, strides: record.strides),
              record.storageOffset <= storage.elementCount, extent <= storage.elementCount - record.storageOffset else {
            throw failure("view (offset \(record.storageOffset), shape \(record.shape), stride \(record.strides)) "
                          + "does not fit storage \(storage.key) of \(storage.elementCount) elements")
        }

        let entryName = prefix + "data/" + storage.key
        let range: Range<Int>
        do {
            range = try archive.storedDataRange(of: entryName)
        } catch let error as CheckpointError {
            throw failure("storage \(storage.key): \(error.reason)")
        }
        guard let storageBytes = ShapeArithmetic.byteCount([storage.elementCount], dtype: dtype),
              storageBytes <= range.count else {
            throw failure("storage \(storage.key) holds \(range.count) bytes, fewer than its \(storage.elementCount) "
                          + "\(dtype) elements need")
        }
        let isRowMajor = StridedCopy.isRowMajor(shape: record.shape, strides: record.strides)
        // A strided view is copied when read; one larger than its storage (a broadcast
        // with stride 0) could ask for any amount of memory, so it is refused.
        guard isRowMajor || byteCount <= storageBytes else {
            throw failure("non-contiguous view (shape \(record.shape), stride \(record.strides)) is larger than "
                          + "its storage \(storage.key); save it with .contiguous()")
        }
        let info = TensorInfo(name: name, dtype: dtype, shape: record.shape, byteCount: byteCount, file: relativeName)
        let strides = isRowMajor ? nil : record.strides
        return StoredTensor(info: info, byteOffset: range.lowerBound + record.storageOffset * dtype.size,
                            elementStrides: strides)
    }
}
