import Foundation
import JanusTensor

/// How a checkpoint directory stores its weights. Raw values are the names shown by
/// the CLI.
public enum CheckpointFormat: String, Sendable, CaseIterable {
    case safetensors
    case safetensorsSharded = "safetensors-sharded"
    case torchBin = "pytorch-bin"
    case torchBinSharded = "pytorch-bin-sharded"
    /// A diffusers model directory (e.g. the SDXL-VAE): one safetensors file under
    /// diffusers' name.
    case diffusersSafetensors = "diffusers-safetensors"

    /// The file that marks the layout, in the order `Checkpoint.open` looks for them
    /// (the order of the cases; safetensors first, as transformers prefers it).
    public var markerFile: String {
        switch self {
        case .safetensors: "model.safetensors"
        case .safetensorsSharded: "model.safetensors.index.json"
        case .torchBin: "pytorch_model.bin"
        case .torchBinSharded: "pytorch_model.bin.index.json"
        case .diffusersSafetensors: "diffusion_pytorch_model.safetensors"
        }
    }

    var isSharded: Bool { self == .safetensorsSharded || self == .torchBinSharded }

    /// Opens one weights file of this format.
    func openFile(path: String, relativeName: String) throws -> any TensorFile {
        switch self {
        case .safetensors, .safetensorsSharded, .diffusersSafetensors:
            try SafetensorsFile(path: path, relativeName: relativeName)
        case .torchBin, .torchBinSharded: try TorchCheckpointFile(path: path, relativeName: relativeName)
        }
    }
}

/// The weights of a model directory (a Hugging Face download), whatever the layout.
/// Every file is opened, mapped and validated up front, so a broken download fails at
/// load time with a message naming the file, not halfway through inference.
public final class Checkpoint: Sendable {
    public let directory: String
    public let format: CheckpointFormat
    /// Every tensor, sorted by name.
    public let inventory: [TensorInfo]
    private let entries: [String: Entry]

    private struct Entry: Sendable {
        let info: TensorInfo
        let file: any TensorFile
    }

    private init(directory: String, format: CheckpointFormat, entries: [String: Entry]) {
        self.directory = directory
        self.format = format
        self.entries = entries
        inventory = entries.values.map(\.info).sorted { $0.name < $1.name }
    }

    public static func open(directory: String) throws -> Checkpoint {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CheckpointError(file: directory, reason: "not a directory")
        }
        func pathOf(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

        guard let format = CheckpointFormat.allCases.first(where: {
            FileManager.default.fileExists(atPath: pathOf($0.markerFile))
        }) else {
            let lookedFor = CheckpointFormat.allCases.map(\.markerFile).joined(separator: ", ")
            throw CheckpointError(file: directory, reason: "no checkpoint found (looked for \(lookedFor))")
        }

        var entries: [String: Entry] = [:]
        if format.isSharded {
            let index = try ShardIndex(path: pathOf(format.markerFile))
            var files: [String: any TensorFile] = [:]
            for shard in index.shardFiles {
                guard FileManager.default.fileExists(atPath: pathOf(shard)) else {
                    throw CheckpointError(file: index.path, reason: "shard \(shard) listed in the index is missing")
                }
                files[shard] = try format.openFile(path: pathOf(shard), relativeName: shard)
            }
            for (name, shard) in index.weightMap {
                guard let file = files[shard], let info = file.info(name) else {
                    throw CheckpointError(file: pathOf(shard), key: name,
                                          reason: "listed in \(format.markerFile) but not stored in this shard")
                }
                entries[name] = Entry(info: info, file: file)
            }
        } else {
            let file = try format.openFile(path: pathOf(format.markerFile), relativeName: format.markerFile)
            for name in file.tensorNames {
                if let info = file.info(name) { entries[name] = Entry(info: info, file: file) }
            }
        }
        return Checkpoint(directory: directory, format: format, entries: entries)
    }

    public func contains(_ name: String) -> Bool { entries[name] != nil }

    public func info(_ name: String) -> TensorInfo? { entries[name]?.info }

    /// The tensor in its stored dtype, a view into the mapped file (zero copy) unless it
    /// was saved as a non-contiguous PyTorch view.
    public func tensor(_ name: String) throws -> Tensor {
        try entry(name).file.tensor(name)
    }

    /// The tensor, checked to have exactly `shape` (model code states what it expects,
    /// so a checkpoint for another configuration fails clearly).
    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let entry = try entry(name)
        guard entry.info.shape == shape else {
            throw CheckpointError(file: entry.file.path, key: name,
                                  reason: "expected shape \(shape), stored shape \(entry.info.shape)")
        }
        return try entry.file.tensor(name)
    }

    /// SHA-256 (hex) of the tensor's stored bytes in row-major order.
    public func sha256(of name: String) throws -> String {
        SHA256Hasher.hexDigest(of: try tensor(name).rawBytes)
    }

    private func entry(_ name: String) throws -> Entry {
        guard let entry = entries[name] else {
            throw CheckpointError(file: directory, key: name, reason: "no such tensor in this \(format.rawValue) checkpoint")
        }
        return entry
    }
}
