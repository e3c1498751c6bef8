import Foundation

/// A decoded picture and where it came from.
public struct DecodedImage: Sendable, Equatable {
    /// 8-bit RGB, as `PIL.Image.open(file).convert("RGB")` gives it (see `ImageDecoder`).
    public var image: RGBImage
    public var format: ImageFormat
    /// The mode Pillow opens the file in ("RGB", "RGBA", "L", "LA", "P", "1", "I;16",
    /// "CMYK"): what the reference's `convert("RGB")` starts from. For logs and tests.
    public var pillowMode: String
    /// A JPEG's EXIF Orientation tag, when it has a valid one.
    public var exifOrientation: EXIFOrientation?
    /// Whether `image` was turned upright according to `exifOrientation`.
    public var orientationApplied: Bool

    public init(image: RGBImage, format: ImageFormat, pillowMode: String,
                exifOrientation: EXIFOrientation?, orientationApplied: Bool) {
        self.image = image
        self.format = format
        self.pillowMode = pillowMode
        self.exifOrientation = exifOrientation
        self.orientationApplied = orientationApplied
    }
}

/// Decodes PNG and JPEG files into the RGB pixels the reference pipeline
/// (`PIL.Image.open(file).convert("RGB")`) works on:
/// - samples are taken as stored: no gamma, sRGB or ICC colour management;
/// - alpha is dropped without compositing, grey is replicated to R, G and B, palettes
///   are expanded (their tRNS transparency ignored);
/// - 16-bit PNG samples keep their high byte, except 16-bit greyscale, which Pillow opens
///   as "I;16" and clamps to 255 (so 300 becomes 255, not 1);
/// - CMYK JPEGs are read as Pillow does: inverted ("CMYK;I", for every CMYK JPEG) and
///   converted with Pillow's cmyk2rgb;
/// - EXIF orientation of JPEGs is applied unless `ImageDecodingOptions.applyEXIFOrientation`
///   is false (the reference does not apply it).
/// The format is recognised by the leading bytes, never the file name. Every failure is
/// an `ImageDecodingError`.
public enum ImageDecoder {
    public static func decode(_ data: Data, options: ImageDecodingOptions = ImageDecodingOptions()) throws -> DecodedImage {
        try data.withUnsafeBytes { try decode(bytes: $0, options: options) }
    }

    /// Decodes the file at `path`; errors name the file.
    public static func decode(contentsOfFile path: String,
                              options: ImageDecodingOptions = ImageDecodingOptions()) throws -> DecodedImage {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        } catch {
            throw ImageDecodingError(.unreadableFile(reason: error.localizedDescription), path: path)
        }
        do {
            return try decode(data, options: options)
        } catch var error as ImageDecodingError {
            error.path = path
            throw error
        }
    }

    static func decode(bytes: UnsafeRawBufferPointer, options: ImageDecodingOptions) throws -> DecodedImage {
        guard !bytes.isEmpty else { throw ImageDecodingError(.emptyInput) }
        switch ImageFormat.sniff(bytes) {
        case .format(.png):
            return try PNGDecoder.decode(bytes, options: options)
        case .format(.jpeg):
            return try JPEGDecoder.decode(bytes, options: options)
        case .cutSignature(let format):
            let amount = bytes.count == 1 ? "1 byte" : "\(bytes.count) bytes"
            throw ImageDecodingError(.truncated(format, detail: "only \(amount), less than the signature"))
        case .unknown:
            throw ImageDecodingError(.unrecognisedFormat(leadingBytes: Array(bytes.prefix(8))))
        }
    }
}

extension RGBImage {
    /// Decodes PNG or JPEG bytes; see `ImageDecoder`.
    public init(decoding data: Data, options: ImageDecodingOptions = ImageDecodingOptions()) throws {
        self = try ImageDecoder.decode(data, options: options).image
    }

    /// Decodes a PNG or JPEG file; see `ImageDecoder`.
    public init(contentsOfFile path: String, options: ImageDecodingOptions = ImageDecodingOptions()) throws {
        self = try ImageDecoder.decode(contentsOfFile: path, options: options).image
    }
}
