import CJanusImageCodecs

/// PNG through libpng (CJanusImageCodecs/png_decode.c), as Pillow's PngImagePlugin
/// followed by `convert("RGB")` sees it.
enum PNGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodingOptions) throws -> DecodedImage {
        // Refuse bombs and empty images from the raw IHDR, before libpng sees the data.
        if let declared = declaredSize(bytes) {
            try options.checkSize(width: declared.width, height: declared.height)
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ImageDecodingError(.emptyInput)
        }
        var decoder: OpaquePointer?
        defer { jic_png_close(decoder) }
        var info = jic_png_info()
        let opened = jic_png_open(base, bytes.count, &decoder, &info)
        let message = { String(cString: jic_png_message(decoder)) }
        guard opened == JIC_OK else {
            throw ImageDecodingError(.init(failed: opened, format: .png, detail: message()))
        }
        let width = Int(info.width), height = Int(info.height)
        try options.checkSize(width: width, height: height)
        let image = try RGBImage.decoded(width: width, height: height, format: .png,
                                         decode: { jic_png_read_rgb(decoder, $0) }, message: message)
        return DecodedImage(image: image, format: .png,
                            pillowMode: pillowMode(colorType: info.color_type, bitDepth: info.bit_depth),
                            exifOrientation: nil, orientationApplied: false)
    }

    /// Width and height from the IHDR chunk, which the PNG specification puts first.
    static func declaredSize(_ bytes: UnsafeRawBufferPointer) -> (width: Int, height: Int)? {
        guard bytes.count >= 24, bytes[12..<16].elementsEqual("IHDR".utf8) else { return nil }
        func bigEndian32(at offset: Int) -> Int {
            bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
        }
        return (bigEndian32(at: 16), bigEndian32(at: 20))
    }

    /// The mode Pillow's PngImagePlugin opens each IHDR layout in.
    static func pillowMode(colorType: Int32, bitDepth: Int32) -> String {
        switch (colorType, bitDepth) {
        case (0, 1): "1"
        case (0, 16): "I;16"
        case (0, _): "L"
        case (2, _): "RGB"
        case (3, _): "P"
        case (4, 16): "RGBA"   // Pillow widens 16-bit grey + alpha to RGBA
        case (4, _): "LA"
        default: "RGBA"
        }
    }
}
