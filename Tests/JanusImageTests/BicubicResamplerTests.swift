import JanusImage
import Testing

extension PillowResize: CustomTestStringConvertible {
    var testDescription: String { "to \(width)x\(height)" }
}

@Suite struct BicubicResamplerTests {
    static let source = RGBImage(width: PillowReference.resizeSourceWidth, height: PillowReference.resizeSourceHeight,
                                 pixels: [UInt8](base64: PillowReference.resizeSource))

    /// Down, up, one axis only, both, to one pixel, extreme aspect ratios.
    @Test(arguments: PillowReference.resizes)
    func matchesPillow(reference: PillowResize) {
        let resized = Self.source.resizedBicubic(width: reference.width, height: reference.height)
        #expect(resized.width == reference.width && resized.height == reference.height)
        let mismatch = Compare.bytes(resized.pixels, [UInt8](base64: reference.rgb), width: reference.width)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// Pillow 13 runs the vertical pass first when the height shrinks and the width does
    /// not; the rounding between the passes makes the order visible.
    @Test(arguments: PillowReference.tallPatternResizes)
    func tallStripsMatchPillow(reference: PillowResize) {
        let resized = RGBImage.pattern(width: 3, height: 150).resizedBicubic(width: reference.width, height: reference.height)
        let mismatch = Compare.bytes(resized.pixels, [UInt8](base64: reference.rgb), width: reference.width)
        #expect(mismatch == nil, "3x150 to \(reference.width)x\(reference.height): \(mismatch ?? "")")
    }

    @Test func sameSizeIsACopy() {
        let image = RGBImage.pattern(width: 13, height: 7)
        #expect(image.resizedBicubic(width: 13, height: 7) == image)
    }

    @Test func onePixelSpreadsToAConstantPicture() {
        let pixel = RGBImage(width: 1, height: 1, pixels: [200, 10, 77])
        let resized = pixel.resizedBicubic(width: 5, height: 3)
        #expect(resized.pixels == [UInt8](base64: PillowReference.onePixelTo5x3))
        #expect(resized.pixels == Array([[UInt8]](repeating: [200, 10, 77], count: 15).joined()))
    }

    /// Fixed-point weights sum to one within rounding, so a flat colour stays flat at any
    /// scale, including the extreme strips of the size rule (741x60, 1000x1, 1x1000).
    @Test func flatColourStaysFlat() {
        let sizes = [(741, 60, 96, 14), (1000, 1, 96, 14), (1, 1000, 14, 96), (3000, 20, 96, 14),
                     (13, 13, 96, 96), (1, 1, 384, 384), (385, 384, 96, 95)]
        for (inWidth, inHeight, outWidth, outHeight) in sizes {
            for colour: [UInt8] in [[0, 0, 0], [255, 255, 255], [1, 128, 254]] {
                let flat = RGBImage(width: inWidth, height: inHeight,
                                    pixels: Array([[UInt8]](repeating: colour, count: inWidth * inHeight).joined()))
                let resized = flat.resizedBicubic(width: outWidth, height: outHeight)
                let expected = Array([[UInt8]](repeating: colour, count: outWidth * outHeight).joined())
                #expect(resized.pixels == expected, "\(inWidth)x\(inHeight) to \(outWidth)x\(outHeight) of \(colour)")
            }
        }
    }

    /// Columns resample independently of each other in the vertical pass and vice versa:
    /// a picture constant along x stays constant along x.
    @Test func separablePassesKeepStripes() {
        var pixels = [UInt8]()
        for y in 0..<40 {
            for _ in 0..<30 { pixels += [UInt8(y * 6), UInt8(255 - y * 6), UInt8((y % 2) * 255)] }
        }
        let resized = RGBImage(width: 30, height: 40, pixels: pixels).resizedBicubic(width: 11, height: 17)
        for y in 0..<17 {
            let row = Array(resized.pixels[(y * 11 * 3)..<((y + 1) * 11 * 3)])
            #expect(row == Array([[UInt8]](repeating: Array(row.prefix(3)), count: 11).joined()), "row \(y)")
        }
    }
}
