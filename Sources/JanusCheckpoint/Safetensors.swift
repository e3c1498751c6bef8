import Foundation
import JanusTensor

/// A `.safetensors` file: an 8-byte little-endian header length, a JSON header
/// (`name → {dtype, shape, data_offsets}` plus an optional `__metadata__` string map),
/// then the raw tensor bytes. The file is memory-mapped and every tensor is a view into
/// it; the header is validated completely when the file is opened.
public final class SafetensorsFile: TensorFile {
    public let path: String
    /// The header's `__metadata__` (e.g. `["format": "pt"]`); empty when absent.
    public let metadata: [String: String]
    private let table: MappedTensorTable

    public var tensorNames: [String] { table.sortedNames }
    public func info(_ name: String) -> TensorInfo? { table.info(name) }
    public func tensor(_ name: String) throws -> Tensor { try table.tensor(name) }

    /// Opens and validates `path`; `TensorInfo.file` will be its last path component.
    public convenience init(path: String) throws {
        try self.init(path: path, relativeName: (path as NSString).lastPathComponent)
    }

    /// `relativeName` is what `TensorInfo.file` reports (the name inside a checkpoint
    /// directory, for shards).
    init(path: String, relativeName: String) throws {
        self.path = path
        let file = try MappedFile.openForCheckpoint(path: path)
        let header = try SafetensorsHeaderParser(file: file, path: path).parse()
        metadata = header.metadata

        var entries: [String: StoredTensor] = [:]
        // In name order, so the error for a file with several bad entries is reproducible.
        for (name, raw) in header.entries.sorted(by: { $0.key < $1.key }) {
            entries[name] = try Self.validate(raw, name: name, dataStart: header.dataStart,
                                              dataSize: file.byteCount - header.dataStart,
                                              path: path, relativeName: relativeName)
        }
        table = MappedTensorTable(path: path, storage: TensorStorage(mapped: file, offset: 0, byteCount: file.byteCount),
                                  entries: entries)
    }

    /// Checks one header entry against the data section and turns it into a location.
    private static func validate(_ entry: SafetensorsHeader.Entry, name: String, dataStart: Int, dataSize: Int,
                                 path: String, relativeName: String) throws -> StoredTensor {
        func failure(_ reason: String) -> CheckpointError { CheckpointError(file: path, key: name, reason: reason) }

        guard let dtype = DType(safetensorsName: entry.dtype) else {
            throw failure("unsupported dtype \(entry.dtype) (supported: \(DType.safetensorsNames))")
        }
        guard entry.shape.allSatisfy({ $0 >= 0 }) else {
            throw failure("negative dimension in shape \(entry.shape)")
        }
        guard let byteCount = ShapeArithmetic.byteCount(entry.shape, dtype: dtype) else {
            throw failure("shape \(entry.shape) is too large")
        }
        guard entry.dataOffsets.count == 2 else {
            throw failure("data_offsets must be [begin, end], found \(entry.dataOffsets)")
        }
        let (begin, end) = (entry.dataOffsets[0], entry.dataOffsets[1])
        guard begin <= end else {
            throw failure("data_offsets [\(begin), \(end)] end before they begin")
        }
        guard begin >= 0, end <= dataSize else {
            throw failure("data_offsets [\(begin), \(end)] are outside the data section (\(dataSize) bytes)")
        }
        guard end - begin == byteCount else {
            throw failure("data_offsets [\(begin), \(end)] hold \(end - begin) bytes but shape \(entry.shape) "
                          + "of \(entry.dtype) needs \(byteCount)")
        }
        let info = TensorInfo(name: name, dtype: dtype, shape: entry.shape, byteCount: byteCount, file: relativeName)
        return StoredTensor(info: info, byteOffset: dataStart + begin, elementStrides: nil)
    }
}

/// The decoded JSON header, before validation against the file.
struct SafetensorsHeader {
    struct Entry: Decodable {
        let dtype: String
        let shape: [Int]
        let dataOffsets: [Int]

        enum CodingKeys: String, CodingKey {
            case dtype, shape
            case dataOffsets = "data_offsets"
        }

        init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            dtype = try container.decode(String.self, forKey: .dtype)
            shape = try container.decode([Integer].self, forKey: .shape).map(\.value)
            dataOffsets = try container.decode([Integer].self, forKey: .dataOffsets).map(\.value)
        }
    }

    /// A JSON integer. swift-corelibs-foundation reports a fractional or out-of-range
    /// number as "not valid JSON" for the whole document; catching it here keeps the
    /// tensor's name in the error.
    struct Integer: Decodable {
        let value: Int

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            do {
                value = try container.decode(Int.self)
            } catch let error as DecodingError {
                throw error
            } catch {
                throw DecodingError.typeMismatch(Int.self, DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "expected an integer (\(error))"))
            }
        }
    }

    var metadata: [String: String] = [:]
    var entries: [String: Entry] = [:]
    /// Absolute offset of the data section (8 + header length).
    var dataStart = 0

    static let metadataKey = "__metadata__"
}

/// Reads the length prefix and the JSON header, turning every decoding failure into a
/// `CheckpointError` that names the file and, where the JSON path has one, the tensor.
private struct SafetensorsHeaderParser {
    let file: MappedFile
    let path: String

    func parse() throws -> SafetensorsHeader {
        var reader = ByteReader(file.bytes(at: 0, count: file.byteCount), file: path, structure: "safetensors header")
        if ZipArchive.hasZipSignature(reader.bytes) {
            throw CheckpointError(file: path, reason: "this is a ZIP archive (a PyTorch .bin file?), not safetensors")
        }
        guard file.byteCount >= 8 else {
            throw CheckpointError(file: path, reason: "file is \(file.byteCount) bytes, too short for the "
                                  + "8-byte safetensors header length")
        }
        let declaredLength = try reader.readLittleEndian(UInt64.self)
        guard declaredLength <= UInt64(reader.remaining) else {
            throw CheckpointError(file: path, reason: "header length \(declaredLength) runs past the end of the "
                                  + "file (\(file.byteCount) bytes): not a safetensors file, or a truncated one")
        }
        let headerBytes = try reader.read(count: Int(declaredLength))
        var header = try decode(Data(headerBytes))
        header.dataStart = reader.position
        return header
    }

    private func decode(_ json: Data) throws -> SafetensorsHeader {
        let object: [String: HeaderValue]
        do {
            object = try JSONDecoder().decode([String: HeaderValue].self, from: json)
        } catch let error as DecodingError {
            throw describe(error)
        }
        var header = SafetensorsHeader()
        for (key, value) in object {
            switch value {
            case .metadata(let metadata): header.metadata = metadata
            case .tensor(let entry): header.entries[key] = entry
            }
        }
        return header
    }

    /// A header value: the metadata map or a tensor entry, decided by the key, so a
    /// malformed entry is reported as such rather than as "not metadata".
    private enum HeaderValue: Decodable {
        case metadata([String: String])
        case tensor(SafetensorsHeader.Entry)

        init(from decoder: Decoder) throws {
            if decoder.codingPath.last?.stringValue == SafetensorsHeader.metadataKey {
                self = .metadata(try [String: String](from: decoder))
            } else {
                self = .tensor(try SafetensorsHeader.Entry(from: decoder))
            }
        }
    }

    private func describe(_ error: DecodingError) -> CheckpointError {
        let (path, detail) = error.summary
        guard let key = path.first?.stringValue else {
            return CheckpointError(file: self.path, reason: "header is not a valid JSON object (\(detail))")
        }
        if key == SafetensorsHeader.metadataKey {
            return CheckpointError(file: self.path, reason: "__metadata__ must map strings to strings (\(detail))")
        }
        let field = DecodingError.pathText(path.dropFirst())
        return CheckpointError(file: self.path, key: key,
                               reason: "malformed header entry\(field.isEmpty ? "" : " field \(field)") (\(detail))")
    }
}

extension DType {
    /// The dtype names of the safetensors format, for the dtypes Janus computes with.
    init?(safetensorsName: String) {
        switch safetensorsName {
        case "F32": self = .f32
        case "F16": self = .f16
        case "BF16": self = .bf16
        case "I64": self = .i64
        case "I32": self = .i32
        case "I8": self = .i8
        case "U8": self = .u8
        default: return nil
        }
    }

    var safetensorsName: String { rawValue.uppercased() }

    static var safetensorsNames: String { allCases.map(\.safetensorsName).joined(separator: ", ") }
}
