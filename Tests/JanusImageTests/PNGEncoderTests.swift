import CPNG
import Foundation
import JanusImage
import Testing

@Suite struct PNGEncoderTests {
    static func gradient(width: Int, height: Int) -> RGBImage {
        var pixels = [UInt8]()
        for y in 0..<height {
            for x in 0..<width {
                pixels += [UInt8(x * 255 / max(width - 1, 1)), UInt8(y * 255 / max(height - 1, 1)), UInt8((x ^ y) & 0xff)]
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }

    @Test func encodedPNGDecodesToTheSamePixels() throws {
        let image = Self.gradient(width: 37, height: 21)
        let data = try image.pngData()
        #expect(Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(try decodeWithLibpng(data) == image)
    }

    @Test func equalImagesGiveEqualBytes() throws {
        let image = Self.gradient(width: 64, height: 64)
        #expect(try image.pngData() == image.pngData())
    }

    @Test func emptyImageIsRefused() {
        #expect(throws: ImageEncodingError.self) { try RGBImage(width: 0, height: 0, pixels: []).pngData() }
    }

    /// Independent decoder: libpng's simplified API, asking for 8-bit RGB.
    private func decodeWithLibpng(_ data: Data) throws -> RGBImage {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        let began = data.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        try #require(began != 0)
        image.format = png_uint_32(PNG_FORMAT_RGB)
        var pixels = [UInt8](repeating: 0, count: Int(image.width * image.height * 3))
        let finished = pixels.withUnsafeMutableBytes { png_image_finish_read(&image, nil, $0.baseAddress, 0, nil) }
        try #require(finished != 0)
        return RGBImage(width: Int(image.width), height: Int(image.height), pixels: pixels)
    }
}
