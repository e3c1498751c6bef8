import Foundation
import JanusCheckpoint
import JanusTestSupport
import Testing

/// Runs `body` with a fresh scratch directory and removes it afterwards.
func withScratchDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let directory = try Fixtures.temporaryDirectory("janus-checkpoint")
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory)
}

/// Writes `bytes` to `name` inside `directory` and returns the path.
@discardableResult
func writeFile(_ bytes: [UInt8], named name: String, in directory: URL) throws -> String {
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url.path
}

func readFile(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// Expects `body` to throw a `CheckpointError` whose message contains every fragment
/// (typically the file, the tensor and the reason), and returns it.
@discardableResult
func expectCheckpointError(mentioning fragments: [String], sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () throws -> Void) -> CheckpointError? {
    let error = #expect(throws: CheckpointError.self, sourceLocation: sourceLocation) { try body() }
    if let error {
        for fragment in fragments {
            #expect(error.description.contains(fragment),
                    "\"\(error.description)\" does not mention \"\(fragment)\"", sourceLocation: sourceLocation)
        }
    }
    return error
}

/// A parameterised test case with a readable name in the test report.
struct Labelled<Value: Sendable>: CustomTestStringConvertible, Sendable {
    let label: String
    let value: Value
    /// What the error must mention, for failure cases.
    let mentions: String

    init(_ label: String, _ value: Value, mentions: String = "") {
        self.label = label
        self.value = value
        self.mentions = mentions
    }

    var testDescription: String { label }
}

/// Little-endian byte assembly for hand-made files.
struct ByteBuilder {
    var bytes: [UInt8] = []

    mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ raw: [UInt8]) { bytes.append(contentsOf: raw) }

    mutating func append(_ text: String) { bytes.append(contentsOf: Array(text.utf8)) }
}

extension Array where Element == UInt8 {
    /// Deterministic pseudo-random bytes (a linear congruential generator), so tests need
    /// no global random state and fail reproducibly.
    static func pseudoRandom(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }
}
