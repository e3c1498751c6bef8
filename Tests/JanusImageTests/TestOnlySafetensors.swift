import Foundation

/// TEST-ONLY minimal safetensors reader (f32 and u8) for the golden fixtures, until the
/// project's checkpoint reader is available here. Format: 8-byte little-endian header
/// length, a JSON header {name: {dtype, shape, data_offsets}}, then raw little-endian data.
struct TestOnlySafetensors {
    struct Entry {
        let dtype: String
        let shape: [Int]
        let range: Range<Int>
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    private let data: Data
    private let dataStart: Int
    let entries: [String: Entry]

    init(path: String) throws {
        data = try Data(contentsOf: URL(fileURLWithPath: path))
        guard data.count >= 8 else { throw Failure(description: "\(path): shorter than a safetensors header") }
        let headerLength = data.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) }
        dataStart = 8 + headerLength
        guard dataStart <= data.count,
              let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<dataStart)) as? [String: Any]
        else { throw Failure(description: "\(path): bad safetensors header") }
        var entries: [String: Entry] = [:]
        for (name, value) in header where name != "__metadata__" {
            guard let fields = value as? [String: Any], let dtype = fields["dtype"] as? String,
                  let shape = fields["shape"] as? [Int], let offsets = fields["data_offsets"] as? [Int],
                  offsets.count == 2 else { throw Failure(description: "\(path): bad entry \(name)") }
            entries[name] = Entry(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
        }
        self.entries = entries
    }

    private func bytes(_ name: String, dtype: String) throws -> (shape: [Int], bytes: Data) {
        guard let entry = entries[name] else { throw Failure(description: "no tensor \(name)") }
        guard entry.dtype == dtype else { throw Failure(description: "\(name) is \(entry.dtype), not \(dtype)") }
        let range = (dataStart + entry.range.lowerBound)..<(dataStart + entry.range.upperBound)
        guard range.upperBound <= data.count else { throw Failure(description: "\(name) runs past the file") }
        return (entry.shape, data.subdata(in: range))
    }

    func uint8(_ name: String) throws -> (shape: [Int], values: [UInt8]) {
        let (shape, raw) = try bytes(name, dtype: "U8")
        return (shape, [UInt8](raw))
    }

    func float32(_ name: String) throws -> (shape: [Int], values: [Float]) {
        let (shape, raw) = try bytes(name, dtype: "F32")
        let values = stride(from: 0, to: raw.count, by: 4).map { offset in
            let bits = raw[raw.startIndex + offset..<raw.startIndex + offset + 4].reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return Float(bitPattern: bits)
        }
        return (shape, values)
    }
}
