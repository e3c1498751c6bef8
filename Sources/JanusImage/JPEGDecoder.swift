import CJanusImageCodecs

/// JPEG through libjpeg-turbo (CJanusImageCodecs/jpeg_decode.c), as Pillow's
/// JpegImagePlugin followed by `convert("RGB")` sees it, plus optional EXIF orientation.
enum JPEGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, options: ImageDecodingOptions) throws -> DecodedImage {
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            throw ImageDecodingError(.emptyInput)
        }
        var decoder: OpaquePointer?
        defer { jic_jpeg_close(decoder) }
        var info = jic_jpeg_info()
        // Reads only the headers: libjpeg allocates no pixel memory before
        // jic_jpeg_read_rgb, so the size check below comes first.
        let opened = jic_jpeg_open(base, bytes.count, &decoder, &info)
        let message = { String(cString: jic_jpeg_message(decoder)) }
        if opened == JIC_EMPTY_IMAGE {
            throw ImageDecodingError(.zeroSize(width: Int(info.width), height: Int(info.height)))
        }
        guard opened == JIC_OK else {
            throw ImageDecodingError(.init(failed: opened, format: .jpeg, detail: message()))
        }
        let width = Int(info.width), height = Int(info.height)
        try options.checkSize(width: width, height: height)
        // Copied now: libjpeg frees the saved marker when decoding finishes.
        let orientation = info.exif.flatMap { exif in
            EXIFOrientation(exifPayload: Array(UnsafeBufferPointer(start: exif, count: info.exif_size)))
        }
        let stored = try RGBImage.decoded(width: width, height: height, format: .jpeg,
                                          decode: { jic_jpeg_read_rgb(decoder, $0) }, message: message)
        // The turn to apply, if any (topLeft is already upright).
        let turn = options.applyEXIFOrientation ? orientation.flatMap { $0 == .topLeft ? nil : $0 } : nil
        return DecodedImage(image: turn.map(stored.upright(from:)) ?? stored,
                            format: .jpeg, pillowMode: pillowMode(components: info.components),
                            exifOrientation: orientation, orientationApplied: turn != nil)
    }

    /// Pillow's JPEG modes by number of components (2-component files are refused earlier).
    static func pillowMode(components: Int32) -> String {
        switch components {
        case 1: "L"
        case 4: "CMYK"
        default: "RGB"
        }
    }
}
