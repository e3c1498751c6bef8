import Foundation
import JanusCheckpoint
import JanusTensor
import JanusTestSupport
import Testing

@Suite("Safetensors writer")
struct SafetensorsWriterTests {
    /// A tensor of `dtype` and `shape` filled with deterministic bytes.
    static func tensor(_ dtype: DType, _ shape: [Int], seed: UInt64) -> Tensor {
        let tensor = Tensor(zeros: shape, dtype: dtype)
        let bytes = [UInt8].pseudoRandom(count: tensor.byteCount, seed: seed)
        tensor.storage.baseAddress.copyMemory(from: bytes, byteCount: bytes.count)
        return tensor
    }

    static let sample: [(name: String, tensor: Tensor)] = [
        ("weights.f32", tensor(.f32, [3, 5], seed: 1)),
        ("weights.bf16", tensor(.bf16, [7, 3], seed: 2)),
        ("weights.f16", tensor(.f16, [5], seed: 3)),
        ("ids.i64", tensor(.i64, [2, 2, 2], seed: 4)),
        ("ids.i32", tensor(.i32, [3], seed: 5)),
        ("ids.i8", tensor(.i8, [9], seed: 6)),
        ("pixels.u8", tensor(.u8, [1, 3, 3], seed: 7)),
        ("empty", tensor(.f32, [0, 4], seed: 8)),
        ("scalar", tensor(.f32, [], seed: 9)),
    ]

    @Test("every dtype, an empty tensor and a scalar round-trip exactly, with metadata")
    func roundTrip() throws {
        try withScratchDirectory { directory in
            let path = directory.appendingPathComponent("out.safetensors").path
            try SafetensorsWriter.write(Self.sample, metadata: ["format": "pt", "note": "round trip"], to: path)
            let file = try SafetensorsFile(path: path)
            #expect(file.metadata == ["format": "pt", "note": "round trip"])
            #expect(file.tensorNames == Self.sample.map(\.name).sorted())
            for (name, original) in Self.sample {
                let read = try file.tensor(name)
                #expect(read.dtype == original.dtype, "\(name)")
                #expect(read.shape == original.shape, "\(name)")
                #expect(read.rawBytes.elementsEqual(original.rawBytes), "\(name)")
            }
            #expect(try file.tensor("scalar").elementCount == 1)
            #expect(try file.tensor("empty").byteCount == 0)
            #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        }
    }

    @Test("header: JSON padded with spaces to 8 bytes, metadata first, tensors aligned to their element size")
    func headerLayout() throws {
        try withScratchDirectory { directory in
            let path = directory.appendingPathComponent("out.safetensors").path
            try SafetensorsWriter.write(Self.sample, metadata: ["k": "v"], to: path)
            let bytes = try readFile(path)
            let length = Int(bytes[0..<8].withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) })
            #expect(length % 8 == 0)
            let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
            #expect(header.hasPrefix(#"{"__metadata__":{"k":"v"},"#))
            #expect(!header.contains(" }") && !header.contains(": "))  // compact, padding only at the end
            let json = try #require(try JSONSerialization.jsonObject(with: Data(header.utf8)) as? [String: Any])
            #expect(json.count == Self.sample.count + 1)
            // Data order: decreasing element size, then name; every offset is a multiple of the element size.
            let file = try SafetensorsFile(path: path)
            var previousEnd = 0
            let expectedOrder = Self.sample.sorted { ($0.tensor.dtype.size, $1.name) > ($1.tensor.dtype.size, $0.name) }
            for (name, tensor) in expectedOrder {
                let entry = try #require(json[name] as? [String: Any])
                let offsets = try #require(entry["data_offsets"] as? [Int])
                #expect(offsets == [previousEnd, previousEnd + tensor.byteCount], "\(name)")
                #expect(offsets[0] % tensor.dtype.size == 0)
                #expect(entry["dtype"] as? String == tensor.dtype.rawValue.uppercased())
                previousEnd = offsets[1]
                #expect(file.info(name)?.byteCount == tensor.byteCount)
            }
            #expect(bytes.count == 8 + length + previousEnd)
        }
    }

    @Test("rewriting the golden checkpoint reproduces model.safetensors byte for byte")
    func goldenRewrite() throws {
        let source = Fixtures.safetensorsModel + "/model.safetensors"
        let original = try SafetensorsFile(path: source)
        let tensors = try original.tensorNames.map { (name: $0, tensor: try original.tensor($0)) }
        try withScratchDirectory { directory in
            let path = directory.appendingPathComponent("model.safetensors").path
            try SafetensorsWriter.write(tensors, metadata: original.metadata, to: path)
            #expect(try sha256(file: path) == (try sha256(file: source)))
        }
    }

    @Test("names that need JSON escaping survive")
    func escapedNames() throws {
        let names = ["quote\"d", "back\\slash", "new\nline", "tab\t", "bell\u{07}", "ünïcødé.权重", "", "a/b.c"]
        let tensors = names.enumerated().map { (name: $1, tensor: Self.tensor(.u8, [2], seed: UInt64($0))) }
        try withScratchDirectory { directory in
            let path = directory.appendingPathComponent("names.safetensors").path
            try SafetensorsWriter.write(tensors, metadata: ["quote\"": "line\nbreak"], to: path)
            let file = try SafetensorsFile(path: path)
            #expect(file.tensorNames == names.sorted())
            #expect(file.metadata == ["quote\"": "line\nbreak"])
            for (name, tensor) in tensors {
                #expect(try file.tensor(name).rawBytes.elementsEqual(tensor.rawBytes))
            }
        }
    }

    @Test("an empty tensor list writes a valid empty file")
    func emptyList() throws {
        try withScratchDirectory { directory in
            let path = directory.appendingPathComponent("empty.safetensors").path
            try SafetensorsWriter.write([], to: path)
            #expect(try SafetensorsFile(path: path).tensorNames.isEmpty)
            #expect(try readFile(path).count == 16)  // "{}" padded to 8
        }
    }

    @Test("duplicate and reserved names and unwritable paths are errors naming the file")
    func refusals() throws {
        try withScratchDirectory { directory in
            let path = directory.appendingPathComponent("bad.safetensors").path
            let tensor = Self.tensor(.u8, [1], seed: 0)
            expectCheckpointError(mentioning: [path, "'x'", "duplicate"]) {
                try SafetensorsWriter.write([("x", tensor), ("x", tensor)], to: path)
            }
            expectCheckpointError(mentioning: [path, "'__metadata__'", "reserved"]) {
                try SafetensorsWriter.write([("__metadata__", tensor)], to: path)
            }
            #expect(!FileManager.default.fileExists(atPath: path))
            let unwritable = directory.appendingPathComponent("no/such/dir/out.safetensors").path
            expectCheckpointError(mentioning: [unwritable]) {
                try SafetensorsWriter.write([("x", tensor)], to: unwritable)
            }
        }
    }

    @Test("writing over an existing file replaces it")
    func overwrite() throws {
        try withScratchDirectory { directory in
            let path = directory.appendingPathComponent("out.safetensors").path
            try SafetensorsWriter.write(Self.sample, to: path)
            try SafetensorsWriter.write([("only", Self.tensor(.i32, [2], seed: 3))], to: path)
            #expect(try SafetensorsFile(path: path).tensorNames == ["only"])
        }
    }
}
