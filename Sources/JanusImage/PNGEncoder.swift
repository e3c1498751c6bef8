import CPNG
import Foundation

public struct ImageEncodingError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { "PNG encoding failed: \(reason)" }
}

extension RGBImage {
    /// The picture as PNG bytes (8-bit RGB, no colour-management chunks). libpng's output
    /// depends only on the pixels, so equal images give equal bytes.
    public func pngData() throws -> Data {
        guard width > 0, height > 0 else { throw ImageEncodingError(reason: "empty image \(width)x\(height)") }
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(width)
        image.height = png_uint_32(height)
        image.format = png_uint_32(PNG_FORMAT_RGB)
        let rowStride = Int32(width * 3)
        // First call sizes the output, second fills it.
        var size = 0
        let sized = pixels.withUnsafeBytes { raw in
            png_image_write_to_memory(&image, nil, &size, 0, raw.baseAddress, rowStride, nil)
        }
        guard sized != 0, size > 0 else { throw ImageEncodingError(reason: Self.message(of: image)) }
        var output = Data(count: size)
        let written = output.withUnsafeMutableBytes { destination in
            pixels.withUnsafeBytes { raw in
                png_image_write_to_memory(&image, destination.baseAddress, &size, 0, raw.baseAddress, rowStride, nil)
            }
        }
        png_image_free(&image)
        guard written != 0 else { throw ImageEncodingError(reason: Self.message(of: image)) }
        output.count = size
        return output
    }

    /// Writes the picture as a PNG file.
    public func writePNG(to url: URL) throws {
        try pngData().write(to: url, options: .atomic)
    }

    private static func message(of image: png_image) -> String {
        var copy = image
        return withUnsafeBytes(of: &copy.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
