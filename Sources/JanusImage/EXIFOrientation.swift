/// The EXIF/TIFF Orientation tag (0x0112): how the stored pixel grid relates to the
/// upright picture. Names say where the stored first row and first column end up
/// ("rightTop": row 0 is the picture's right side, column 0 its top).
public enum EXIFOrientation: Int, Sendable, Equatable, CaseIterable {
    case topLeft = 1
    case topRight = 2
    case bottomRight = 3
    case bottomLeft = 4
    case leftTop = 5
    case rightTop = 6
    case rightBottom = 7
    case leftBottom = 8

    /// Reads the Orientation tag from IFD0 of a JPEG APP1 payload ("Exif\0\0" followed
    /// by a TIFF structure). Nil when the tag is absent, out of range or the structure is
    /// malformed: a bad EXIF block must never make a picture undecodable.
    init?(exifPayload payload: [UInt8]) {
        let tiff = 6
        guard payload.count >= tiff + 8, payload.starts(with: Array("Exif\0\0".utf8)) else { return nil }
        let littleEndian: Bool
        switch (payload[tiff], payload[tiff + 1]) {
        case (0x49, 0x49): littleEndian = true    // "II"
        case (0x4D, 0x4D): littleEndian = false   // "MM"
        default: return nil
        }
        func integer(at offset: Int, bytes: Int) -> Int? {
            guard offset >= 0, offset + bytes <= payload.count else { return nil }
            let slice = payload[offset..<offset + bytes]
            let ordered = littleEndian ? Array(slice.reversed()) : Array(slice)
            return ordered.reduce(0) { $0 << 8 | Int($1) }
        }
        guard integer(at: tiff + 2, bytes: 2) == 42,
              let ifd = integer(at: tiff + 4, bytes: 4),
              let entryCount = integer(at: tiff + ifd, bytes: 2) else { return nil }
        let shortType = 3, longType = 4
        for index in 0..<entryCount {
            let entry = tiff + ifd + 2 + 12 * index
            guard let tag = integer(at: entry, bytes: 2) else { return nil }
            guard tag == 0x0112 else { continue }
            // The value sits left-aligned in the entry's 4-byte value field.
            let value: Int?
            switch integer(at: entry + 2, bytes: 2) {
            case shortType: value = integer(at: entry + 8, bytes: 2)
            case longType: value = integer(at: entry + 8, bytes: 4)
            default: value = nil
            }
            guard let value, let orientation = EXIFOrientation(rawValue: value) else { return nil }
            self = orientation
            return
        }
        return nil
    }

    /// Whether the upright picture is the stored one turned a quarter (width and height swap).
    public var swapsWidthAndHeight: Bool { rawValue >= 5 }
}
