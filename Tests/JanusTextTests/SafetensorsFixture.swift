import Foundation

/// A minimal reader for the int64 tensors of a fixture `.safetensors` file: an 8-byte
/// little-endian header length, a JSON header (`dtype`, `shape`, `data_offsets` relative
/// to the end of the header) and the raw little-endian data.
///
/// Kept inside the test target on purpose: the tokenizer tests must not depend on the
/// checkpoint reader, which is developed separately.
struct SafetensorsFixture {
    struct Error: Swift.Error, CustomStringConvertible {
        let description: String
    }

    struct Int64Tensor: Equatable {
        let shape: [Int]
        let values: [Int]
    }

    private let data: Data
    private let header: [String: Any]
    private let dataStart: Int

    init(url: URL) throws {
        data = try Data(contentsOf: url)
        guard data.count >= 8 else { throw Error(description: "\(url.lastPathComponent): shorter than 8 bytes") }
        let headerLength = Int(data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        guard headerLength > 0, 8 + headerLength <= data.count,
              let parsed = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any]
        else { throw Error(description: "\(url.lastPathComponent): bad header") }
        header = parsed
        dataStart = 8 + headerLength
    }

    func int64Tensor(_ name: String) throws -> Int64Tensor {
        guard let entry = header[name] as? [String: Any] else { throw Error(description: "no tensor \(name)") }
        guard entry["dtype"] as? String == "I64" else { throw Error(description: "\(name) is not I64") }
        guard let shape = (entry["shape"] as? [NSNumber])?.map(\.intValue),
              let offsets = (entry["data_offsets"] as? [NSNumber])?.map(\.intValue), offsets.count == 2
        else { throw Error(description: "\(name): bad shape or data_offsets") }
        let start = dataStart + offsets[0]
        let end = dataStart + offsets[1]
        let count = shape.reduce(1, *)
        guard end <= data.count, end - start == count * 8 else { throw Error(description: "\(name): data size mismatch") }
        let values = (0..<count).map { index -> Int in
            let base = start + index * 8
            let raw = (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[base + $1]) << (8 * UInt64($1)) }
            return Int(Int64(bitPattern: raw))
        }
        return Int64Tensor(shape: shape, values: values)
    }
}
