@testable import JanusImage
import Testing

@Suite struct EXIFOrientationTests {
    /// "Exif\0\0" + a TIFF header + IFD0 with the given entries (tag, type, count, value).
    static func payload(bigEndian: Bool, entries: [(tag: Int, type: Int, count: Int, value: Int)],
                        ifdOffset: Int = 8) -> [UInt8] {
        func bytes(_ value: Int, _ size: Int) -> [UInt8] {
            let bigEndianBytes = (0..<size).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
            return bigEndian ? bigEndianBytes : bigEndianBytes.reversed()
        }
        var tiff = (bigEndian ? Array("MM".utf8) : Array("II".utf8)) + bytes(42, 2) + bytes(ifdOffset, 4)
        // Pads up to a small offset; a large one is left pointing past the end.
        tiff += [UInt8](repeating: 0, count: ifdOffset <= 64 ? ifdOffset - tiff.count : 0)
        tiff += bytes(entries.count, 2)
        for entry in entries {
            // SHORT values sit left-aligned in the 4-byte field.
            let value = entry.type == 3 ? bytes(entry.value, 2) + [0, 0] : bytes(entry.value, 4)
            tiff += bytes(entry.tag, 2) + bytes(entry.type, 2) + bytes(entry.count, 4) + value
        }
        return Array("Exif\0\0".utf8) + tiff + bytes(0, 4)
    }

    @Test(arguments: [false, true])
    func readsTheOrientationTagInEitherByteOrder(bigEndian: Bool) {
        for orientation in EXIFOrientation.allCases {
            let exif = Self.payload(bigEndian: bigEndian, entries: [
                (0x010F, 2, 4, 0x41424300),   // Make, ignored
                (0x0112, 3, 1, orientation.rawValue),
            ])
            #expect(EXIFOrientation(exifPayload: exif) == orientation)
        }
        let long = Self.payload(bigEndian: bigEndian, entries: [(0x0112, 4, 1, 6)])
        #expect(EXIFOrientation(exifPayload: long) == .rightTop)
    }

    @Test func malformedOrMissingTagsAreIgnored() {
        let valid = Self.payload(bigEndian: false, entries: [(0x0112, 3, 1, 6)])
        #expect(EXIFOrientation(exifPayload: valid) == .rightTop)
        // Every truncation of a valid block, a bad byte order, an IFD past the end, a value
        // out of range, a wrong type: no orientation, no crash.
        // "Exif\0\0", TIFF header, entry count, then the entry up to its 2-byte value.
        let valueEnd = 6 + 8 + 2 + 10
        for length in 0..<valueEnd {
            #expect(EXIFOrientation(exifPayload: Array(valid.prefix(length))) == nil)
        }
        var badOrder = valid
        badOrder[6] = UInt8(ascii: "X")
        #expect(EXIFOrientation(exifPayload: badOrder) == nil)
        #expect(EXIFOrientation(exifPayload: Self.payload(bigEndian: true, entries: [(0x0112, 3, 1, 6)],
                                                          ifdOffset: 0x7FFF_FFF0)) == nil)
        #expect(EXIFOrientation(exifPayload: Self.payload(bigEndian: false, entries: [(0x0112, 3, 1, 9)])) == nil)
        #expect(EXIFOrientation(exifPayload: Self.payload(bigEndian: false, entries: [(0x0112, 2, 1, 6)])) == nil)
        #expect(EXIFOrientation(exifPayload: Self.payload(bigEndian: false, entries: [(0x0110, 3, 1, 6)])) == nil)
    }

    @Test func quarterTurnsSwapTheSidesAndFourTurnsAreTheIdentity() {
        let image = RGBImage.pattern(width: 5, height: 3)
        for orientation in EXIFOrientation.allCases {
            let turned = image.upright(from: orientation)
            let swapped = orientation.swapsWidthAndHeight
            #expect(turned.width == (swapped ? 3 : 5) && turned.height == (swapped ? 5 : 3))
        }
        // rightTop (rotate clockwise) four times, and each mirror twice, give the original.
        var spun = image
        for _ in 0..<4 { spun = spun.upright(from: .rightTop) }
        #expect(spun == image)
        for mirror in [EXIFOrientation.topRight, .bottomLeft, .leftTop, .rightBottom] {
            #expect(image.upright(from: mirror).upright(from: mirror) == image)
        }
    }
}
