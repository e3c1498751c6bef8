import Foundation
import JanusCheckpoint
import JanusTensor
import JanusTestSupport
import Testing

/// Malformed safetensors files must be refused with a message naming the file and, where
/// there is one, the tensor.
@Suite("Safetensors reader")
struct SafetensorsReaderTests {
    static let goldenPath = Fixtures.safetensorsModel + "/model.safetensors"

    /// A safetensors file with the header text exactly as given (no padding).
    static func file(header: String, data: [UInt8]) -> [UInt8] {
        var bytes = ByteBuilder()
        bytes.append(UInt64(header.utf8.count))
        bytes.append(header)
        bytes.append(data)
        return bytes.bytes
    }

    /// Opens a file made of `bytes` in a scratch directory and runs `check` on the result.
    static func open(_ bytes: [UInt8], check: (String, () throws -> SafetensorsFile) throws -> Void) throws {
        try withScratchDirectory { directory in
            let path = try writeFile(bytes, named: "model.safetensors", in: directory)
            try check(path) { try SafetensorsFile(path: path) }
        }
    }

    @Test("a hand-made file reads back its values, metadata and layout")
    func handMade() throws {
        let values: [Float] = [1, -2, 3.5, 0.25, 8, 9]
        let data = values.withUnsafeBytes { Array($0) } + [7, 8]
        let header = #"{"__metadata__":{"origin":"test"},"w":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"#
            + #""b":{"dtype":"U8","shape":[2],"data_offsets":[24,26]}}"#
        try Self.open(Self.file(header: header, data: data)) { _, open in
            let file = try open()
            #expect(file.tensorNames == ["b", "w"])
            #expect(file.metadata == ["origin": "test"])
            #expect(try file.tensor("w").scalars(as: Float.self) == values)
            #expect(try file.tensor("b").scalars(as: UInt8.self) == [7, 8])
            #expect(file.info("w") == TensorInfo(name: "w", dtype: .f32, shape: [2, 3], byteCount: 24,
                                                 file: "model.safetensors"))
        }
    }

    @Test("an empty header and an empty data section are valid")
    func emptyFile() throws {
        try Self.open(Self.file(header: "{}", data: [])) { _, open in
            let file = try open()
            #expect(file.tensorNames.isEmpty)
        }
    }

    @Test("truncated copies of the golden file are refused", arguments: [0, 3, 7, 8, 100, 51_000, 51_472, 60_000,
                                                                         10_645_093])
    func truncated(length: Int) throws {
        let golden = try readFile(Self.goldenPath)
        try Self.open(Array(golden.prefix(length))) { path, open in
            let error = expectCheckpointError(mentioning: [path]) { _ = try open() }
            if length >= 8 + 51_464 {
                // The header survives: the tensors beyond the cut are named.
                #expect(error?.key != nil)
                #expect(error?.description.contains("outside the data section") == true)
            } else if length >= 8 {
                #expect(error?.description.contains("header length 51464 runs past the end") == true)
            } else {
                #expect(error?.description.contains("too short") == true)
            }
        }
    }

    @Test("a header length of 2^64-1 is an error, not a crash")
    func hugeHeaderLength() throws {
        var bytes = ByteBuilder()
        bytes.append(UInt64.max)
        bytes.append("{}")
        try Self.open(bytes.bytes) { path, open in
            expectCheckpointError(mentioning: [path, "runs past the end"]) { _ = try open() }
        }
    }

    /// A corrupted header and the fragments its error must mention (besides the file).
    struct Corruption: CustomTestStringConvertible, Sendable {
        let label: String
        let header: String
        let dataCount: Int
        let mentions: [String]
        var testDescription: String { label }
    }

    static let corruptions: [Corruption] = [
        Corruption(label: "not JSON", header: "{not json", dataCount: 0, mentions: ["not a valid JSON object"]),
        Corruption(label: "a JSON array", header: "[1,2]", dataCount: 0, mentions: ["not a valid JSON object"]),
        Corruption(label: "invalid UTF-8", header: "{\"\u{FFFD}\":1}", dataCount: 0, mentions: []),
        Corruption(label: "end past the data", header: #"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,999]}}"#,
                   dataCount: 8, mentions: ["'t'", "[0, 999]", "outside the data section (8 bytes)"]),
        Corruption(label: "negative begin", header: #"{"t":{"dtype":"F32","shape":[0],"data_offsets":[-4,0]}}"#,
                   dataCount: 8, mentions: ["'t'", "outside the data section"]),
        Corruption(label: "begin after end", header: #"{"t":{"dtype":"U8","shape":[0],"data_offsets":[6,2]}}"#,
                   dataCount: 8, mentions: ["'t'", "[6, 2] end before they begin"]),
        Corruption(label: "byte count != shape x dtype",
                   header: #"{"t":{"dtype":"F32","shape":[2,2],"data_offsets":[0,8]}}"#,
                   dataCount: 8, mentions: ["'t'", "hold 8 bytes", "needs 16"]),
        Corruption(label: "negative dimension", header: #"{"t":{"dtype":"F32","shape":[-1,2],"data_offsets":[0,8]}}"#,
                   dataCount: 8, mentions: ["'t'", "negative dimension", "[-1, 2]"]),
        Corruption(label: "overflowing shape",
                   header: #"{"t":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#,
                   dataCount: 8, mentions: ["'t'", "too large"]),
        Corruption(label: "F64", header: #"{"t":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}"#,
                   dataCount: 8, mentions: ["'t'", "unsupported dtype F64"]),
        Corruption(label: "BOOL", header: #"{"t":{"dtype":"BOOL","shape":[1],"data_offsets":[0,1]}}"#,
                   dataCount: 8, mentions: ["'t'", "unsupported dtype BOOL"]),
        Corruption(label: "XYZ", header: #"{"ok":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"#
                   + #""bad":{"dtype":"XYZ","shape":[1],"data_offsets":[1,2]}}"#,
                   dataCount: 8, mentions: ["'bad'", "unsupported dtype XYZ"]),
        Corruption(label: "missing dtype", header: #"{"t":{"shape":[1],"data_offsets":[0,1]}}"#,
                   dataCount: 8, mentions: ["'t'", "dtype"]),
        Corruption(label: "shape not a list", header: #"{"t":{"dtype":"U8","shape":"1","data_offsets":[0,1]}}"#,
                   dataCount: 8, mentions: ["'t'", "shape"]),
        Corruption(label: "fractional dimension", header: #"{"t":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}}"#,
                   dataCount: 8, mentions: ["'t'"]),
        Corruption(label: "three offsets", header: #"{"t":{"dtype":"U8","shape":[1],"data_offsets":[0,1,2]}}"#,
                   dataCount: 8, mentions: ["'t'", "data_offsets must be [begin, end]"]),
        Corruption(label: "non-string metadata", header: #"{"__metadata__":{"n":1}}"#, dataCount: 0,
                   mentions: ["__metadata__ must map strings to strings"]),
    ]

    @Test("corrupted headers are refused with file, tensor and reason", arguments: corruptions)
    func corrupted(_ corruption: Corruption) throws {
        var bytes = Self.file(header: corruption.header, data: [UInt8](repeating: 0, count: corruption.dataCount))
        if corruption.label == "invalid UTF-8" {
            // Replace the UTF-8 of U+FFFD (EF BF BD) with a lone continuation byte.
            let start = try #require(bytes.firstIndex(of: 0xEF))
            bytes.replaceSubrange(start..<(start + 3), with: [0x80])
            bytes.replaceSubrange(0..<8, with: withUnsafeBytes(of: UInt64(bytes.count - 8).littleEndian) { Array($0) })
        }
        try Self.open(bytes) { path, open in
            expectCheckpointError(mentioning: [path] + corruption.mentions) { _ = try open() }
        }
    }

    @Test("a ZIP archive (a .bin renamed) is recognised as not safetensors")
    func zipMislabelled() throws {
        try Self.open(try readFile(Fixtures.binModel + "/pytorch_model.bin")) { path, open in
            expectCheckpointError(mentioning: [path, "ZIP archive"]) { _ = try open() }
        }
    }

    @Test("a missing tensor and a missing file name what is missing")
    func missing() throws {
        let file = try SafetensorsFile(path: Self.goldenPath)
        expectCheckpointError(mentioning: [Self.goldenPath, "'no.such.tensor'"]) { _ = try file.tensor("no.such.tensor") }
        #expect(file.info("no.such.tensor") == nil)
        let absent = Fixtures.safetensorsModel + "/absent.safetensors"
        expectCheckpointError(mentioning: [absent]) { _ = try SafetensorsFile(path: absent) }
        expectCheckpointError(mentioning: [Fixtures.safetensorsModel, "not a regular file"]) {
            _ = try SafetensorsFile(path: Fixtures.safetensorsModel)
        }
    }

    @Test("tensors stay valid after the file object is gone (the mapping is kept alive)")
    func mappingLifetime() throws {
        let tensor = try SafetensorsFile(path: Self.goldenPath).tensor("aligner.layers.0.weight")
        let reference = try Checkpoint.open(directory: Fixtures.binModel).tensor("aligner.layers.0.weight")
        #expect(tensor.rawBytes.elementsEqual(reference.rawBytes))
    }
}
