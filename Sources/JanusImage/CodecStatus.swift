import CJanusImageCodecs

extension ImageDecodingError.Problem {
    /// The problem a failed C codec call reports; `detail` is the codec's message.
    /// JIC_EMPTY_IMAGE is mapped by the callers, which know the declared size.
    init(failed status: jic_status, format: ImageFormat, detail: String) {
        switch status {
        case JIC_TRUNCATED: self = .truncated(format, detail: detail)
        case JIC_OUT_OF_MEMORY: self = .outOfMemory(detail: detail)
        case JIC_UNSUPPORTED: self = .unsupported(format, detail: detail)
        default: self = .corrupt(format, detail: detail)
        }
    }
}

extension RGBImage {
    /// Allocates a width x height RGB picture and lets a C decoder write its pixels.
    /// The size has been checked against the limits, so the allocation is bounded.
    static func decoded(width: Int, height: Int, format: ImageFormat,
                        decode: (UnsafeMutablePointer<UInt8>) -> jic_status,
                        message: () -> String) throws -> RGBImage {
        var status = JIC_OK
        let pixels = [UInt8](unsafeUninitializedCapacity: width * height * 3) { buffer, initialized in
            guard let base = buffer.baseAddress else {
                status = JIC_OUT_OF_MEMORY
                initialized = 0
                return
            }
            status = decode(base)
            // Bytes are trivial values; on failure the partial picture is dropped.
            initialized = status == JIC_OK ? buffer.count : 0
        }
        guard status == JIC_OK else {
            throw ImageDecodingError(.init(failed: status, format: format, detail: message()))
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
