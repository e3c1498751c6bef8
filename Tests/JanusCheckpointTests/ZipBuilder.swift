/// Writes ZIP archives the way `torch.save` does (stored entries, data aligned to 64
/// bytes through padding in the local extra field), with switches to force zip64
/// records or to mislabel an entry as compressed.
struct ZipBuilder {
    struct Options {
        /// Write every size and offset through zip64 extra fields and records, as a
        /// checkpoint over 4 GiB would be.
        var forceZip64 = false
        /// Entries whose central record claims a compression method (8 = deflate).
        var compressedEntries: Set<String> = []
    }

    static func archive(_ entries: [(name: String, data: [UInt8])], options: Options = Options()) -> [UInt8] {
        var file = ByteBuilder()
        var central = ByteBuilder()
        let alignment = 64
        for (name, data) in entries {
            let localOffset = file.bytes.count
            let method: UInt16 = options.compressedEntries.contains(name) ? 8 : 0
            let nameBytes = Array(name.utf8)
            // Padding extra field (id 0x4246 "FB", as torch) so the data starts aligned.
            let unpadded = localOffset + 30 + nameBytes.count + 4
            let padding = (alignment - unpadded % alignment) % alignment
            var localExtra = ByteBuilder()
            localExtra.append(UInt16(0x4246))
            localExtra.append(UInt16(padding))
            localExtra.append([UInt8](repeating: 0, count: padding))

            file.append(UInt32(0x0403_4b50))
            file.append(UInt16(20))  // version needed
            file.append(UInt16(0))  // flags
            file.append(method)
            file.append(UInt32(0))  // time, date
            file.append(Self.crc32(data))
            file.append(UInt32(data.count))
            file.append(UInt32(data.count))
            file.append(UInt16(nameBytes.count))
            file.append(UInt16(localExtra.bytes.count))
            file.append(nameBytes)
            file.append(localExtra.bytes)
            file.append(data)

            let marker = UInt32.max
            var centralExtra = ByteBuilder()
            if options.forceZip64 {
                centralExtra.append(UInt16(0x0001))
                centralExtra.append(UInt16(24))
                centralExtra.append(UInt64(data.count))  // uncompressed
                centralExtra.append(UInt64(data.count))  // compressed
                centralExtra.append(UInt64(localOffset))
            }
            central.append(UInt32(0x0201_4b50))
            central.append(UInt16(45))  // made by
            central.append(UInt16(45))  // needed
            central.append(UInt16(0))
            central.append(method)
            central.append(UInt32(0))  // time, date
            central.append(Self.crc32(data))
            central.append(options.forceZip64 ? marker : UInt32(data.count))
            central.append(options.forceZip64 ? marker : UInt32(data.count))
            central.append(UInt16(nameBytes.count))
            central.append(UInt16(centralExtra.bytes.count))
            central.append(UInt16(0))  // comment
            central.append(UInt16(0))  // disk
            central.append(UInt16(0))  // internal attributes
            central.append(UInt32(0))  // external attributes
            central.append(options.forceZip64 ? marker : UInt32(localOffset))
            central.append(nameBytes)
            central.append(centralExtra.bytes)
        }
        let directoryOffset = file.bytes.count
        file.append(central.bytes)
        if options.forceZip64 {
            let recordOffset = file.bytes.count
            file.append(UInt32(0x0606_4b50))
            file.append(UInt64(44))  // size of the rest of the record
            file.append(UInt16(45))
            file.append(UInt16(45))
            file.append(UInt32(0))
            file.append(UInt32(0))
            file.append(UInt64(entries.count))
            file.append(UInt64(entries.count))
            file.append(UInt64(central.bytes.count))
            file.append(UInt64(directoryOffset))
            file.append(UInt32(0x0706_4b50))
            file.append(UInt32(0))
            file.append(UInt64(recordOffset))
            file.append(UInt32(1))
        }
        file.append(UInt32(0x0605_4b50))
        file.append(UInt16(0))
        file.append(UInt16(0))
        file.append(options.forceZip64 ? UInt16.max : UInt16(entries.count))
        file.append(options.forceZip64 ? UInt16.max : UInt16(entries.count))
        file.append(options.forceZip64 ? UInt32.max : UInt32(central.bytes.count))
        file.append(options.forceZip64 ? UInt32.max : UInt32(directoryOffset))
        file.append(UInt16(0))
        return file.bytes
    }

    /// CRC-32 (IEEE), so other ZIP readers accept these archives too; readers of mapped
    /// checkpoints do not check it.
    static func crc32(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
