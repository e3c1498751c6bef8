import JanusTensor

/// The central directory of a ZIP archive, enough to locate the entries of a
/// `torch.save` file: torch writes every entry uncompressed (ZIP_STORED) with its data
/// 64-byte aligned, so an entry is just a byte range of the mapped file. Zip64 records
/// (archives or entries past 4 GiB) are understood; compressed or encrypted entries are
/// reported as errors when they are read.
struct ZipArchive {
    struct Entry {
        let name: String
        let flags: UInt16
        let compressionMethod: UInt16
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    let path: String
    /// Entries in central-directory order.
    let entries: [Entry]
    private let indexByName: [String: Int]
    private let file: MappedFile

    private enum Signature {
        static let localHeader: UInt32 = 0x0403_4b50
        static let centralHeader: UInt32 = 0x0201_4b50
        static let endOfCentralDirectory: UInt32 = 0x0605_4b50
        static let zip64EndOfCentralDirectory: UInt32 = 0x0606_4b50
        static let zip64Locator: UInt32 = 0x0706_4b50
    }
    private static let zip64ExtraFieldID: UInt16 = 0x0001
    /// A 16- or 32-bit field holding this value defers to the zip64 record.
    private static let zip64Marker32: UInt32 = 0xFFFF_FFFF
    private static let zip64Marker16: UInt16 = 0xFFFF
    private static let endRecordSize = 22
    private static let maximumCommentLength = 0xFFFF

    /// True when `bytes` starts like a ZIP archive (a local header or an empty archive).
    static func hasZipSignature(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 4 else { return false }
        let signature = UInt32(littleEndian: bytes.loadUnaligned(as: UInt32.self))
        return signature == Signature.localHeader || signature == Signature.endOfCentralDirectory
    }

    init(file: MappedFile, path: String) throws {
        self.file = file
        self.path = path
        let bytes = file.bytes(at: 0, count: file.byteCount)
        let directory = try Self.locateCentralDirectory(in: bytes, path: path)

        var reader = ByteReader(bytes, file: path, structure: "ZIP central directory")
        try reader.seek(to: directory.offset)
        var entries: [Entry] = []
        var indexByName: [String: Int] = [:]
        for _ in 0..<directory.entryCount {
            let entry = try Self.readCentralHeader(&reader)
            guard indexByName[entry.name] == nil else {
                throw reader.error("duplicate entry \(entry.name)")
            }
            indexByName[entry.name] = entries.count
            entries.append(entry)
        }
        self.entries = entries
        self.indexByName = indexByName
    }

    func entry(named name: String) -> Entry? { indexByName[name].map { entries[$0] } }

    /// The absolute byte range of a stored entry's data in the file.
    func storedDataRange(of name: String) throws -> Range<Int> {
        guard let entry = entry(named: name) else {
            throw CheckpointError(file: path, reason: "ZIP archive has no entry \(name)")
        }
        guard entry.flags & 1 == 0 else {
            throw CheckpointError(file: path, reason: "ZIP entry \(name) is encrypted")
        }
        guard entry.compressionMethod == 0 else {
            throw CheckpointError(file: path, reason: "ZIP entry \(name) is compressed (method "
                                  + "\(entry.compressionMethod)); torch.save writes stored entries only, "
                                  + "so re-save the checkpoint without recompressing it")
        }
        guard entry.compressedSize == entry.uncompressedSize else {
            throw CheckpointError(file: path, reason: "ZIP entry \(name) is stored but its sizes differ "
                                  + "(\(entry.compressedSize) vs \(entry.uncompressedSize))")
        }
        var reader = ByteReader(file.bytes(at: 0, count: file.byteCount), file: path,
                                structure: "ZIP local header of \(name)")
        try reader.seek(to: entry.localHeaderOffset)
        guard try reader.readLittleEndian(UInt32.self) == Signature.localHeader else {
            throw reader.error("bad signature at offset \(entry.localHeaderOffset)")
        }
        try reader.skip(22)  // version, flags, method, time, date, crc, sizes: the central copy rules
        let nameLength = try reader.readLength(UInt16.self)
        let extraLength = try reader.readLength(UInt16.self)
        try reader.skip(nameLength + extraLength)
        let start = reader.position
        guard entry.uncompressedSize <= reader.remaining else {
            throw reader.error("data of \(entry.uncompressedSize) bytes at offset \(start) runs past the end "
                               + "of the file (\(file.byteCount) bytes)")
        }
        return start..<(start + entry.uncompressedSize)
    }

    /// The bytes of a stored entry (a view into the mapped file).
    func storedData(of name: String) throws -> UnsafeRawBufferPointer {
        let range = try storedDataRange(of: name)
        return file.bytes(at: range.lowerBound, count: range.count)
    }

    // MARK: Directory records

    private struct CentralDirectoryLocation {
        let offset: Int
        let entryCount: Int
    }

    /// Finds the end-of-central-directory record (the last 22 + comment bytes) and, when
    /// present, the zip64 record it points to.
    private static func locateCentralDirectory(in bytes: UnsafeRawBufferPointer,
                                               path: String) throws -> CentralDirectoryLocation {
        guard let endOffset = findEndRecord(in: bytes) else {
            throw CheckpointError(file: path, reason: "not a ZIP archive, or a truncated one "
                                  + "(no end-of-central-directory record)")
        }
        var reader = ByteReader(bytes, file: path, structure: "ZIP end-of-central-directory record",
                                position: endOffset + 4)
        let diskNumber = try reader.readLittleEndian(UInt16.self)
        let directoryDisk = try reader.readLittleEndian(UInt16.self)
        try reader.skip(2)  // entries on this disk
        let entryCount16 = try reader.readLittleEndian(UInt16.self)
        let size32 = try reader.readLittleEndian(UInt32.self)
        let offset32 = try reader.readLittleEndian(UInt32.self)

        var location: (offset: Int, size: Int, entryCount: Int)
        if let zip64 = try readZip64EndRecord(in: bytes, endOffset: endOffset, path: path) {
            location = zip64
        } else {
            guard diskNumber == 0 && directoryDisk == 0 else {
                throw reader.error("multi-disk archives are not supported")
            }
            guard entryCount16 != zip64Marker16, size32 != zip64Marker32, offset32 != zip64Marker32 else {
                throw reader.error("zip64 fields are set but the zip64 locator is missing")
            }
            location = (Int(offset32), Int(size32), Int(entryCount16))
        }
        guard location.offset <= endOffset, location.size <= endOffset - location.offset else {
            throw reader.error("central directory [\(location.offset), +\(location.size)) lies outside the file")
        }
        return CentralDirectoryLocation(offset: location.offset, entryCount: location.entryCount)
    }

    private static func findEndRecord(in bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count >= endRecordSize else { return nil }
        let lowest = max(0, bytes.count - endRecordSize - maximumCommentLength)
        for offset in stride(from: bytes.count - endRecordSize, through: lowest, by: -1) {
            let signature = UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            guard signature == Signature.endOfCentralDirectory else { continue }
            let commentLength = Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 20,
                                                                            as: UInt16.self)))
            if offset + endRecordSize + commentLength <= bytes.count { return offset }
        }
        return nil
    }

    /// The zip64 end record, when a zip64 locator sits just before the end record.
    private static func readZip64EndRecord(in bytes: UnsafeRawBufferPointer, endOffset: Int,
                                           path: String) throws -> (offset: Int, size: Int, entryCount: Int)? {
        let locatorSize = 20
        guard endOffset >= locatorSize else { return nil }
        var locator = ByteReader(bytes, file: path, structure: "ZIP zip64 locator", position: endOffset - locatorSize)
        guard try locator.readLittleEndian(UInt32.self) == Signature.zip64Locator else { return nil }
        try locator.skip(4)  // disk holding the zip64 record
        let recordOffset = try locator.readLength(UInt64.self)

        var record = ByteReader(bytes, file: path, structure: "ZIP zip64 end-of-central-directory record")
        try record.seek(to: recordOffset)
        guard try record.readLittleEndian(UInt32.self) == Signature.zip64EndOfCentralDirectory else {
            throw record.error("bad signature at offset \(recordOffset)")
        }
        try record.skip(8 + 2 + 2)  // record size, versions
        let diskNumber = try record.readLittleEndian(UInt32.self)
        let directoryDisk = try record.readLittleEndian(UInt32.self)
        guard diskNumber == 0 && directoryDisk == 0 else {
            throw record.error("multi-disk archives are not supported")
        }
        try record.skip(8)  // entries on this disk
        let entryCount = try record.readLength(UInt64.self)
        let size = try record.readLength(UInt64.self)
        let offset = try record.readLength(UInt64.self)
        return (offset, size, entryCount)
    }

    private static func readCentralHeader(_ reader: inout ByteReader) throws -> Entry {
        let headerOffset = reader.position
        guard try reader.readLittleEndian(UInt32.self) == Signature.centralHeader else {
            throw reader.error("bad entry signature at offset \(headerOffset)")
        }
        try reader.skip(4)  // versions
        let flags = try reader.readLittleEndian(UInt16.self)
        let method = try reader.readLittleEndian(UInt16.self)
        try reader.skip(8)  // time, date, crc
        let compressed32 = try reader.readLittleEndian(UInt32.self)
        let uncompressed32 = try reader.readLittleEndian(UInt32.self)
        let nameLength = try reader.readLength(UInt16.self)
        let extraLength = try reader.readLength(UInt16.self)
        let commentLength = try reader.readLength(UInt16.self)
        try reader.skip(8)  // disk, attributes
        let localOffset32 = try reader.readLittleEndian(UInt32.self)
        let name = try reader.readUTF8(count: nameLength)
        let extra = try reader.read(count: extraLength)
        try reader.skip(commentLength)

        // Zip64 extra data lists, in this order, only the fields whose 32-bit value is the marker.
        var zip64 = try zip64ExtraField(in: extra, reader: reader, entry: name)
        func resolve(_ value32: UInt32) throws -> Int {
            guard value32 == zip64Marker32 else { return Int(value32) }
            guard var field = zip64 else {
                throw reader.error("entry \(name) needs a zip64 extra field but has none")
            }
            let value = try field.readLength(UInt64.self)
            zip64 = field
            return value
        }
        let uncompressedSize = try resolve(uncompressed32)
        let compressedSize = try resolve(compressed32)
        let localHeaderOffset = try resolve(localOffset32)
        return Entry(name: name, flags: flags, compressionMethod: method, compressedSize: compressedSize,
                     uncompressedSize: uncompressedSize, localHeaderOffset: localHeaderOffset)
    }

    /// A reader over the data of the zip64 extra field in `extra`, if there is one.
    private static func zip64ExtraField(in extra: UnsafeRawBufferPointer, reader: ByteReader,
                                        entry: String) throws -> ByteReader? {
        var fields = ByteReader(extra, file: reader.file, structure: "ZIP extra fields of \(entry)")
        while fields.remaining >= 4 {
            let identifier = try fields.readLittleEndian(UInt16.self)
            let length = try fields.readLength(UInt16.self)
            let data = try fields.read(count: length)
            if identifier == zip64ExtraFieldID {
                return ByteReader(data, file: reader.file, structure: "ZIP zip64 extra field of \(entry)")
            }
        }
        return nil
    }
}
