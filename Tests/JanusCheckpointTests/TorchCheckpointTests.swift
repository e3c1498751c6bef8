import Foundation
import JanusCheckpoint
import JanusTensor
import JanusTestSupport
import Testing

/// `torch.save` archives built in the tests: every pickle style a state dict can come in,
/// and the ways such a file can be broken or hostile.
@Suite("PyTorch checkpoint reader")
struct TorchCheckpointTests {
    static let sample = SafetensorsWriterTests.sample

    /// Writes `bytes` as `pytorch_model.bin` in a scratch directory and runs `check`.
    static func withArchive(_ bytes: [UInt8], _ check: (String) throws -> Void) throws {
        try withScratchDirectory { directory in
            try check(try writeFile(bytes, named: "pytorch_model.bin", in: directory))
        }
    }

    static func expectSample(in path: String) throws {
        let file = try TorchCheckpointFile(path: path)
        #expect(file.tensorNames == sample.map(\.name).sorted())
        for (name, original) in sample {
            let tensor = try file.tensor(name)
            #expect(tensor.dtype == original.dtype && tensor.shape == original.shape, "\(name)")
            #expect(tensor.rawBytes.elementsEqual(original.rawBytes), "\(name)")
            #expect(!tensor.isWritable, "\(name) should be a view into the mapped file")
            #expect(file.info(name)?.file == "pytorch_model.bin")
        }
    }

    struct Variant: CustomTestStringConvertible, Sendable {
        let label: String
        let style: PickleWriter.Style
        let orderedDict: Bool
        let asParameters: Bool
        let withTensorMetadata: Bool
        var testDescription: String { label }
    }

    @Test("state dicts in every supported pickle form load every dtype", arguments: [
        Variant(label: "protocol 2 dict (torch.save)", style: .protocol2, orderedDict: false, asParameters: false,
                withTensorMetadata: false),
        Variant(label: "OrderedDict with _metadata BUILD", style: .protocol2, orderedDict: true, asParameters: false,
                withTensorMetadata: false),
        Variant(label: "nn.Parameter values", style: .protocol2, orderedDict: true, asParameters: true,
                withTensorMetadata: true),
        Variant(label: "protocol 4 (FRAME, STACK_GLOBAL, MEMOIZE)", style: .protocol4, orderedDict: true,
                asParameters: true, withTensorMetadata: false),
    ])
    func variants(_ variant: Variant) throws {
        var builder = TorchArchiveBuilder(Self.sample)
        builder.style = variant.style
        builder.orderedDict = variant.orderedDict
        builder.asParameters = variant.asParameters
        builder.withTensorMetadata = variant.withTensorMetadata
        try Self.withArchive(builder.archive()) { try Self.expectSample(in: $0) }
    }

    @Test("zip64 records and extra fields (checkpoints over 4 GiB) are understood")
    func zip64() throws {
        var options = ZipBuilder.Options()
        options.forceZip64 = true
        try Self.withArchive(TorchArchiveBuilder(Self.sample).archive(options: options)) { try Self.expectSample(in: $0) }
    }

    @Test("many tensors: memo indices past 255 use LONG_BINPUT / LONG_BINGET")
    func manyTensors() throws {
        let tensors = (0..<300).map { (name: "layer.\($0).bias", tensor: Tensor(shape: [2], [Int32($0), -Int32($0)])) }
        try Self.withArchive(TorchArchiveBuilder(tensors).archive()) { path in
            let file = try TorchCheckpointFile(path: path)
            #expect(file.tensorNames.count == 300)
            #expect(try file.tensor("layer.299.bias").scalars(as: Int32.self) == [299, -299])
        }
    }

    @Test("tensors sharing one storage at different offsets (tied weights, slices)")
    func sharedStorage() throws {
        let values = (0..<12).map { Float($0) }
        var builder = TorchArchiveBuilder()
        builder.storages = [("0", values.withUnsafeBytes { Array($0) })]
        builder.tensors = [
            .init(name: "whole", storageType: "FloatStorage", storageKey: "0", storageElements: 12, shape: [3, 4]),
            .init(name: "tied", storageType: "FloatStorage", storageKey: "0", storageElements: 12, shape: [3, 4]),
            .init(name: "row2", storageType: "FloatStorage", storageKey: "0", storageElements: 12, storageOffset: 8,
                  shape: [4]),
        ]
        try Self.withArchive(builder.archive()) { path in
            let file = try TorchCheckpointFile(path: path)
            #expect(try file.tensor("row2").scalars(as: Float.self) == [8, 9, 10, 11])
            #expect(try file.tensor("whole").baseAddress == (try file.tensor("tied").baseAddress))
            #expect(try file.tensor("whole").scalars(as: Float.self) == values)
        }
    }

    @Test("non-contiguous views are materialised as contiguous copies")
    func strided() throws {
        // Storage holds a row-major 2x3 matrix; "transposed" is its 3x2 transpose view,
        // "column" the middle column, "broadcast" a stride-0 expansion of the first row.
        let values: [Float] = [1, 2, 3, 4, 5, 6]
        var builder = TorchArchiveBuilder()
        builder.storages = [("0", values.withUnsafeBytes { Array($0) })]
        builder.tensors = [
            .init(name: "transposed", storageType: "FloatStorage", storageKey: "0", storageElements: 6,
                  shape: [3, 2], strides: [1, 3]),
            .init(name: "column", storageType: "FloatStorage", storageKey: "0", storageElements: 6,
                  storageOffset: 1, shape: [2], strides: [3]),
            .init(name: "broadcast", storageType: "FloatStorage", storageKey: "0", storageElements: 6,
                  shape: [2, 3], strides: [0, 1]),
            .init(name: "unit-dims", storageType: "FloatStorage", storageKey: "0", storageElements: 6,
                  shape: [1, 6, 1], strides: [99, 1, 42]),
        ]
        try Self.withArchive(builder.archive()) { path in
            let file = try TorchCheckpointFile(path: path)
            let transposed = try file.tensor("transposed")
            #expect(transposed.shape == [3, 2])
            #expect(transposed.scalars(as: Float.self) == [1, 4, 2, 5, 3, 6])
            #expect(transposed.isWritable)  // a private copy
            #expect(try file.tensor("column").scalars(as: Float.self) == [2, 5])
            #expect(try file.tensor("broadcast").scalars(as: Float.self) == [1, 2, 3, 1, 2, 3])
            // Strides of size-1 dimensions do not matter: still a zero-copy view.
            #expect(try !file.tensor("unit-dims").isWritable)
        }
    }

    @Test("an empty view is valid whatever its other dimensions and strides")
    func emptyView() throws {
        var builder = TorchArchiveBuilder([("t", Tensor(shape: [2], [Float(1), 2]))])
        builder.tensors[0].shape = [0, 1 << 40, 1 << 40]
        builder.tensors[0].strides = [7, 5, 3]
        try Self.withArchive(builder.archive()) { path in
            let tensor = try TorchCheckpointFile(path: path).tensor("t")
            #expect(tensor.shape == [0, 1 << 40, 1 << 40] && tensor.byteCount == 0)
        }
    }

    // MARK: Hostile and malformed pickles

    /// An archive whose data.pkl is `pickle`, with one real storage.
    static func archive(pickle: [UInt8]) -> [UInt8] {
        var builder = TorchArchiveBuilder([("t", Tensor(shape: [2], [Float(1), 2]))])
        builder.tensors = []
        return ZipBuilder.archive(builder.entries(pickle: pickle))
    }

    /// `GLOBAL module name; arguments; REDUCE` at the top level, as an exploit would.
    static func callPickle(module: String, name: String, style: PickleWriter.Style) -> [UInt8] {
        var writer = PickleWriter(style: style)
        writer.global(module, name)
        writer.tuple([{ $0.string("echo pwned") }])
        writer.opcode("R")
        return writer.finished()
    }

    @Test("forbidden globals are refused by name, never called", arguments: [
        ("os", "system"), ("builtins", "eval"), ("subprocess", "Popen"), ("torch", "load"),
        ("torch._utils", "_rebuild_qtensor"), ("posix", "system"),
    ])
    func forbiddenGlobals(module: String, name: String) throws {
        for style in [PickleWriter.Style.protocol2, .protocol4] {
            try Self.withArchive(Self.archive(pickle: Self.callPickle(module: module, name: name, style: style))) { path in
                expectCheckpointError(mentioning: [path, "unsupported pickle global \(module).\(name)"]) {
                    _ = try TorchCheckpointFile(path: path)
                }
            }
        }
    }

    @Test("a forbidden global hidden inside a tensor's arguments is refused too")
    func nestedForbiddenGlobal() throws {
        var writer = PickleWriter(style: .protocol2)
        writer.opcode("}")
        writer.string("weight")
        writer.global("torch._utils", "_rebuild_tensor_v2")
        writer.tuple([{ $0.global("os", "system") }])
        writer.opcode("R")
        writer.opcode("s")
        try Self.withArchive(Self.archive(pickle: writer.finished())) { path in
            expectCheckpointError(mentioning: [path, "os.system"]) { _ = try TorchCheckpointFile(path: path) }
        }
    }

    /// Malformed pickle bodies (after PROTO 2).
    static let malformedPickles: [Labelled<[UInt8]>] = [
        Labelled("no STOP", [UInt8(ascii: "}")], mentions: "without a STOP"),
        Labelled("unknown opcode", [0xFF], mentions: "unsupported pickle opcode 0xff"),
        Labelled("stack underflow", [UInt8(ascii: "s"), UInt8(ascii: ".")], mentions: "stack underflow"),
        Labelled("undefined memo", [UInt8(ascii: "h"), 7, UInt8(ascii: ".")], mentions: "memo entry 7"),
        Labelled("truncated string", [UInt8(ascii: "X"), 200, 0, 0, 0, 65], mentions: "truncated"),
        Labelled("a list, not a dict", [UInt8(ascii: "]"), UInt8(ascii: ".")], mentions: "does not hold a state dict"),
        Labelled("non-tensor value", Array("}X\u{1}\u{0}\u{0}\u{0}kK\u{5}s.".utf8), mentions: "'k'"),
        Labelled("non-string key", Array("}K\u{1}K\u{5}s.".utf8), mentions: "not a string"),
        Labelled("SETITEMS without MARK", [UInt8(ascii: "}"), UInt8(ascii: "u"), UInt8(ascii: ".")], mentions: "no MARK"),
        Labelled("future protocol", [0x80, 9, UInt8(ascii: ".")], mentions: "protocol 9"),
        Labelled("unterminated GLOBAL", Array("cos\nsys".utf8), mentions: "unterminated"),
        Labelled("calling a storage class", Array("ctorch\nFloatStorage\n)R.".utf8), mentions: "cannot call"),
        Labelled("persistent id of the wrong shape", Array("X\u{3}\u{0}\u{0}\u{0}abcQ.".utf8),
                 mentions: "unsupported persistent id"),
    ]

    @Test("malformed pickles are refused with the file and the problem", arguments: malformedPickles)
    func malformedPickle(_ pickle: Labelled<[UInt8]>) throws {
        try Self.withArchive(Self.archive(pickle: [0x80, 2] + pickle.value)) { path in
            expectCheckpointError(mentioning: [path, pickle.mentions]) { _ = try TorchCheckpointFile(path: path) }
        }
    }

    @Test("unsupported storage dtypes name the tensor", arguments: ["DoubleStorage", "BoolStorage", "ShortStorage"])
    func unsupportedStorage(storageType: String) throws {
        var builder = TorchArchiveBuilder([("ok", Tensor(shape: [1], [Float(1)])), ("odd", Tensor(shape: [1], [Int64(1)]))])
        builder.tensors[1].storageType = storageType
        try Self.withArchive(builder.archive()) { path in
            expectCheckpointError(mentioning: [path, "'odd'", "unsupported dtype torch.\(storageType)"]) {
                _ = try TorchCheckpointFile(path: path)
            }
        }
    }

    typealias RecordEdit = @Sendable (inout TorchArchiveBuilder.TensorSpec) -> Void

    /// Broken tensor records: edits to a valid [2, 3] f32 tensor.
    static let badRecords: [Labelled<RecordEdit>] = [
        Labelled("view past the storage", { $0.shape = [5, 5] }, mentions: "does not fit storage"),
        Labelled("offset past the storage", { $0.storageOffset = 100 }, mentions: "does not fit storage"),
        Labelled("negative dimension", { $0.shape = [-2, 3] }, mentions: "negative dimension"),
        Labelled("negative stride", { $0.strides = [-3, 1] }, mentions: "does not fit storage"),
        Labelled("stride rank mismatch", { $0.strides = [1] }, mentions: "does not fit storage"),
        Labelled("numel larger than the data", { $0.storageElements = 1000; $0.shape = [1000] },
                 mentions: "holds 24 bytes"),
        Labelled("missing storage entry", { $0.storageKey = "42" }, mentions: "no entry archive/data/42"),
        Labelled("broadcast larger than the storage", { $0.shape = [1 << 40, 3]; $0.strides = [0, 1] },
                 mentions: "larger than its storage"),
    ]

    @Test("broken tensor records name the tensor", arguments: badRecords)
    func badRecord(_ record: Labelled<RecordEdit>) throws {
        var builder = TorchArchiveBuilder([("bad.weight", Tensor(shape: [2, 3], [Float](repeating: 1, count: 6)))])
        record.value(&builder.tensors[0])
        try Self.withArchive(builder.archive()) { path in
            expectCheckpointError(mentioning: [path, "'bad.weight'", record.mentions]) {
                _ = try TorchCheckpointFile(path: path)
            }
        }
    }

    // MARK: Broken or mislabelled archives

    @Test("truncated copies of the golden .bin are refused", arguments: [0, 10, 30, 5_000_000, 10_737_239 - 23,
                                                                         10_737_239 - 1])
    func truncated(length: Int) throws {
        let golden = try readFile(Fixtures.binModel + "/pytorch_model.bin")
        try Self.withArchive(Array(golden.prefix(length))) { path in
            expectCheckpointError(mentioning: [path]) { _ = try TorchCheckpointFile(path: path) }
        }
    }

    @Test("a missing central directory and a directory pointing outside the file are refused")
    func brokenDirectory() throws {
        let archive = TorchArchiveBuilder(Self.sample).archive()
        let endRecord = archive.count - 22
        var noEnd = archive
        noEnd[endRecord] = 0  // break the end-of-central-directory signature
        try Self.withArchive(noEnd) { path in
            expectCheckpointError(mentioning: [path, "end-of-central-directory"]) { _ = try TorchCheckpointFile(path: path) }
        }
        var outside = archive
        outside.replaceSubrange((endRecord + 16)..<(endRecord + 20), with: [0xF0, 0xFF, 0xFF, 0x0F])
        try Self.withArchive(outside) { path in
            expectCheckpointError(mentioning: [path, "central directory"]) { _ = try TorchCheckpointFile(path: path) }
        }
        var noDirectory = archive  // the directory itself wiped: entry signatures are wrong
        let directoryStart = Int(archive[(endRecord + 16)..<(endRecord + 20)].withUnsafeBytes {
            UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))
        })
        noDirectory.replaceSubrange(directoryStart..<endRecord,
                                    with: [UInt8](repeating: 0, count: endRecord - directoryStart))
        try Self.withArchive(noDirectory) { path in
            expectCheckpointError(mentioning: [path, "bad entry signature"]) { _ = try TorchCheckpointFile(path: path) }
        }
    }

    @Test("compressed entries are refused with a clear error")
    func compressed() throws {
        var options = ZipBuilder.Options()
        options.compressedEntries = ["archive/data/3"]
        try Self.withArchive(TorchArchiveBuilder(Self.sample).archive(options: options)) { path in
            let name = Self.sample[3].name
            expectCheckpointError(mentioning: [path, "'\(name)'", "archive/data/3 is compressed"]) {
                _ = try TorchCheckpointFile(path: path)
            }
        }
        options.compressedEntries = ["archive/data.pkl"]
        try Self.withArchive(TorchArchiveBuilder(Self.sample).archive(options: options)) { path in
            expectCheckpointError(mentioning: [path, "data.pkl is compressed"]) { _ = try TorchCheckpointFile(path: path) }
        }
    }

    @Test("files that are not torch.save archives say what they are")
    func mislabelled() throws {
        try Self.withArchive(try readFile(Fixtures.safetensorsModel + "/model.safetensors")) { path in
            expectCheckpointError(mentioning: [path, "safetensors"]) { _ = try TorchCheckpointFile(path: path) }
        }
        try Self.withArchive([0x80, 0x02, 0x8a, 0x0a] + [UInt8](repeating: 0, count: 64)) { path in
            expectCheckpointError(mentioning: [path, "legacy"]) { _ = try TorchCheckpointFile(path: path) }
        }
        try Self.withArchive(.pseudoRandom(count: 4096)) { path in
            expectCheckpointError(mentioning: [path, "not a ZIP archive"]) { _ = try TorchCheckpointFile(path: path) }
        }
        try Self.withArchive(ZipBuilder.archive([("readme.txt", Array("hello".utf8))])) { path in
            expectCheckpointError(mentioning: [path, "data.pkl"]) { _ = try TorchCheckpointFile(path: path) }
        }
    }

    @Test("big-endian storages are refused; a missing byteorder means little-endian")
    func byteOrder() throws {
        var builder = TorchArchiveBuilder(Self.sample)
        builder.byteOrder = "big"
        try Self.withArchive(builder.archive()) { path in
            expectCheckpointError(mentioning: [path, "big-endian"]) { _ = try TorchCheckpointFile(path: path) }
        }
        builder.byteOrder = nil
        try Self.withArchive(builder.archive()) { try Self.expectSample(in: $0) }
    }

    @Test("any archive folder name works (torch names it after the file)")
    func archiveName() throws {
        var builder = TorchArchiveBuilder(Self.sample)
        builder.archiveName = "pytorch_model-00001-of-00009"
        try Self.withArchive(builder.archive()) { try Self.expectSample(in: $0) }
    }

    @Test("a missing tensor names the key and the file")
    func missingTensor() throws {
        let path = Fixtures.binModel + "/pytorch_model.bin"
        let file = try TorchCheckpointFile(path: path)
        expectCheckpointError(mentioning: [path, "'lm_head.nope'"]) { _ = try file.tensor("lm_head.nope") }
    }
}
