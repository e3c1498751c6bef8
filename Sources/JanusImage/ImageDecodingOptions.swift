/// How `ImageDecoder` treats its input.
public struct ImageDecodingOptions: Sendable, Equatable {
    /// 64 megapixels (decimal). Pillow warns above about 89 MP and refuses twice that;
    /// a vision encoder sees 384x384 anyway, so anything larger is more likely an attack
    /// (a "decompression bomb": a tiny file declaring a huge image) than a photo.
    public static let defaultMaximumPixelCount = 64_000_000

    /// Largest width x height accepted. It is checked against the header before any
    /// pixel memory is allocated.
    public var maximumPixelCount: Int

    /// Whether a JPEG's EXIF Orientation tag is applied (Pillow's
    /// `ImageOps.exif_transpose`), so that a phone photo taken sideways arrives upright.
    ///
    /// The reference preprocessing (`PIL.Image.open(f).convert("RGB")`) does NOT do
    /// this; it feeds the stored pixel grid to the model. The default is `true` all the
    /// same: the server's users expect the model to see the picture as their viewer shows
    /// it, as the product asks, and the two differ only for JPEGs whose tag is not 1.
    /// Use `.reference` to reproduce the reference pipeline exactly (the golden tests
    /// do). PNG eXIf chunks are not consulted.
    public var applyEXIFOrientation: Bool

    public init(maximumPixelCount: Int = defaultMaximumPixelCount, applyEXIFOrientation: Bool = true) {
        self.maximumPixelCount = maximumPixelCount
        self.applyEXIFOrientation = applyEXIFOrientation
    }

    /// Exactly what the reference `VLMImageProcessor` pipeline sees: no EXIF rotation.
    public static let reference = ImageDecodingOptions(applyEXIFOrientation: false)

    /// Throws when a width x height image exceeds the limits.
    func checkSize(width: Int, height: Int) throws(ImageDecodingError) {
        guard width > 0, height > 0 else { throw ImageDecodingError(.zeroSize(width: width, height: height)) }
        let pixels = ImageDecodingError.Problem.pixelCount(width, height)
        guard pixels <= UInt64(clamping: maximumPixelCount) else {
            throw ImageDecodingError(.tooManyPixels(width: width, height: height, limit: maximumPixelCount))
        }
    }
}
