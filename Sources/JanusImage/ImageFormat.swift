/// The file formats JanusImage decodes, recognised by their leading bytes rather than a
/// file name, as Pillow does.
public enum ImageFormat: String, Sendable, Equatable, CustomStringConvertible {
    case png = "PNG"
    case jpeg = "JPEG"

    public var description: String { rawValue }

    /// PNG's 8-byte signature.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// SOI followed by the first byte of the next marker: Pillow's JPEG test.
    static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]

    var signature: [UInt8] {
        switch self {
        case .png: Self.pngSignature
        case .jpeg: Self.jpegSignature
        }
    }

    /// What the leading bytes say.
    enum Sniffed: Equatable {
        case format(ImageFormat)
        /// The data is a non-empty proper prefix of the format's signature.
        case cutSignature(ImageFormat)
        case unknown
    }

    static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Sniffed {
        for format in [ImageFormat.png, .jpeg] {
            let signature = format.signature
            if bytes.starts(with: signature) { return .format(format) }
            if !bytes.isEmpty, bytes.count < signature.count, signature.starts(with: bytes) {
                return .cutSignature(format)
            }
        }
        return .unknown
    }

    /// The format of `bytes`, or nil when they do not start like a PNG or JPEG file.
    public static func detect<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ImageFormat? {
        if case .format(let format) = sniff(bytes) { return format }
        return nil
    }
}
