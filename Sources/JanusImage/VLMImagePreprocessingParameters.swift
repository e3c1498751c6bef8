/// An 8-bit RGB colour.
public struct RGBColor: Sendable, Equatable {
    public var red: UInt8
    public var green: UInt8
    public var blue: UInt8

    public init(red: UInt8, green: UInt8, blue: UInt8) {
        self.red = red
        self.green = green
        self.blue = blue
    }
}

/// The settings of the reference `VLMImageProcessor` (preprocessor_config.json), as plain
/// values so that JanusImage does not depend on the configuration types. Defaults are
/// Janus-Pro's published configuration.
public struct VLMImagePreprocessingParameters: Sendable, Equatable {
    /// S: the side of the square the vision encoder takes.
    public var imageSize: Int
    /// Neither side is resized below this (`min_size`).
    public var minSize: Int
    /// Per-channel mean and standard deviation (RGB). The reference normalises in float32
    /// (numpy casts them to the image's dtype), so they are Floats here too.
    public var imageMean: [Float]
    public var imageStd: [Float]
    /// Multiplier taking 0...255 to 0...1. The reference multiplies in float64 and then
    /// rounds to float32, so this is a Double: pass 1/255 in double precision to be exact.
    public var rescaleFactor: Double
    /// `do_normalize`: whether (x - mean) / std is applied after rescaling.
    public var normalize: Bool
    /// Colour of the padding that makes the picture square.
    public var backgroundColor: RGBColor

    public init(imageSize: Int = 384, minSize: Int = 14,
                imageMean: [Float] = [0.5, 0.5, 0.5], imageStd: [Float] = [0.5, 0.5, 0.5],
                rescaleFactor: Double = 1.0 / 255.0, normalize: Bool = true,
                backgroundColor: RGBColor = RGBColor(red: 127, green: 127, blue: 127)) {
        self.imageSize = imageSize
        self.minSize = minSize
        self.imageMean = imageMean
        self.imageStd = imageStd
        self.rescaleFactor = rescaleFactor
        self.normalize = normalize
        self.backgroundColor = backgroundColor
    }

    /// Why these parameters cannot be used, or nil.
    var problem: String? {
        if imageSize <= 0 { return "image_size \(imageSize) is not positive" }
        if minSize <= 0 { return "min_size \(minSize) is not positive" }
        if imageMean.count != 3 || imageStd.count != 3 { return "image_mean and image_std need 3 values (RGB)" }
        if imageStd.contains(where: { !($0 > 0) }) { return "image_std \(imageStd) must be positive" }
        if !(rescaleFactor.isFinite && rescaleFactor > 0) { return "rescale_factor \(rescaleFactor) must be positive" }
        return nil
    }
}
