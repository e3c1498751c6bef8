/// A bounds-checked cursor over bytes read from a file (a safetensors header, a ZIP
/// directory, a pickle stream). Every read that would run past the end throws a
/// `CheckpointError` naming the file and what was being read, so parsers never index
/// file-derived offsets unchecked.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    /// Used in errors: the file and the structure inside it (e.g. "ZIP central directory").
    let file: String
    let structure: String
    private(set) var position: Int

    init(_ bytes: UnsafeRawBufferPointer, file: String, structure: String, position: Int = 0) {
        self.bytes = bytes
        self.file = file
        self.structure = structure
        self.position = position
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position >= bytes.count }

    func error(_ reason: String) -> CheckpointError {
        CheckpointError(file: file, reason: "\(structure): \(reason)")
    }

    mutating func seek(to offset: Int) throws {
        guard offset >= 0 && offset <= bytes.count else {
            throw error("offset \(offset) is outside the \(bytes.count) available bytes")
        }
        position = offset
    }

    /// The next `count` bytes, as a view (no copy).
    mutating func read(count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0 && count <= remaining else {
            throw error("truncated: needed \(count) bytes at offset \(position), \(max(remaining, 0)) left")
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position..<(position + count)])
        position += count
        return slice
    }

    mutating func skip(_ count: Int) throws { _ = try read(count: count) }

    mutating func readUInt8() throws -> UInt8 { try read(count: 1)[0] }

    mutating func readLittleEndian<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let slice = try read(count: MemoryLayout<T>.size)
        return T(littleEndian: slice.loadUnaligned(as: T.self))
    }

    mutating func readBigEndianDouble() throws -> Double {
        let slice = try read(count: 8)
        return Double(bitPattern: UInt64(bigEndian: slice.loadUnaligned(as: UInt64.self)))
    }

    /// A little-endian unsigned length that must fit in `Int` (lengths come from files;
    /// a 2^63 length is corruption, not a reason to trap).
    mutating func readLength<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type) throws -> Int {
        let value = try readLittleEndian(type)
        guard let length = Int(exactly: value) else {
            throw error("length \(value) at offset \(position - MemoryLayout<T>.size) is too large")
        }
        return length
    }

    /// `count` bytes decoded as UTF-8; invalid UTF-8 is an error, not a replacement character.
    mutating func readUTF8(count: Int) throws -> String {
        let start = position
        let slice = try read(count: count)
        guard let string = String(validating: slice, as: UTF8.self) else {
            throw error("invalid UTF-8 text at offset \(start)")
        }
        return string
    }
}
