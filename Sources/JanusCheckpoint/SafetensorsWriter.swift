import Foundation
import JanusTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes `.safetensors` files the way the reference Python/Rust library does: tensors
/// laid out by decreasing element size then by name (so every tensor is aligned to its
/// element size), a compact JSON header listing `__metadata__` first and the tensors in
/// that same order, padded with spaces to a multiple of 8 bytes.
public enum SafetensorsWriter {
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
                             to path: String) throws {
        var seen = Set<String>()
        for (name, _) in tensors {
            guard name != SafetensorsHeader.metadataKey else {
                throw CheckpointError(file: path, key: name, reason: "\(name) is reserved for metadata")
            }
            guard seen.insert(name).inserted else {
                throw CheckpointError(file: path, key: name, reason: "duplicate tensor name")
            }
        }
        let ordered = tensors.sorted {
            ($0.tensor.dtype.size, $1.name) > ($1.tensor.dtype.size, $0.name)
        }
        let header = headerBytes(for: ordered, metadata: metadata)

        // Write beside the target and rename, so a reader never sees a half-written file.
        let partialPath = path + ".partial"
        let output = try OutputFile(path: partialPath, reportedAs: path)
        do {
            var length = UInt64(header.count).littleEndian
            try withUnsafeBytes(of: &length) { try output.write($0) }
            try header.withUnsafeBytes { try output.write($0) }
            for (_, tensor) in ordered { try output.write(tensor.rawBytes) }
            try output.close()
            guard rename(partialPath, path) == 0 else {
                throw CheckpointError(file: path, reason: "cannot rename \(partialPath) (\(String(cString: strerror(errno))))")
            }
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(atPath: partialPath)
            throw error
        }
    }

    /// The JSON header, already padded with spaces to a multiple of 8 bytes.
    static func headerBytes(for ordered: [(name: String, tensor: Tensor)], metadata: [String: String]) -> [UInt8] {
        var fields: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            fields.append("\(jsonString(SafetensorsHeader.metadataKey)):{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in ordered {
            let end = offset + tensor.byteCount
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            fields.append("\(jsonString(name)):{\"dtype\":\"\(tensor.dtype.safetensorsName)\","
                          + "\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var bytes = Array("{\(fields.joined(separator: ","))}".utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
        return bytes
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped,
    /// everything else as UTF-8.
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}

/// A file being written, with errors that name it.
private struct OutputFile {
    /// The file the user asked for (errors name it), not the temporary one written.
    let path: String
    private let handle: FileHandle

    init(path temporaryPath: String, reportedAs path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
              let handle = FileHandle(forWritingAtPath: temporaryPath) else {
            throw CheckpointError(file: path, reason: "cannot create \(temporaryPath)")
        }
        self.handle = handle
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        // A no-copy Data over the tensor bytes: large tensors are not duplicated.
        let data = Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: bytes.count, deallocator: .none)
        do {
            try handle.write(contentsOf: data)
        } catch {
            throw CheckpointError(file: path, reason: "cannot write (\(error.localizedDescription))")
        }
    }

    func close() throws {
        do {
            try handle.close()
        } catch {
            throw CheckpointError(file: path, reason: "cannot close (\(error.localizedDescription))")
        }
    }
}
