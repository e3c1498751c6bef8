import Foundation
import JanusImage
import JanusModels
import JanusTensor

/// Pictures on their way into the vision encoder: decoded like the reference (PIL open +
/// `convert("RGB")`), then preprocessed exactly like `VLMImageProcessor`.
public struct ImageInput: Sendable {
    public let preprocessor: VLMImagePreprocessor
    public let decoding: ImageDecodingOptions

    public init(configuration: PreprocessorConfiguration, decoding: ImageDecodingOptions = ImageDecodingOptions()) throws {
        let c = configuration
        let background = c.backgroundColor.map { UInt8(clamping: $0) }
        preprocessor = try VLMImagePreprocessor(parameters: VLMImagePreprocessingParameters(
            imageSize: c.imageSize, minSize: c.minSize, imageMean: c.imageMean, imageStd: c.imageStd,
            rescaleFactor: c.rescaleFactor, normalize: c.doNormalize,
            backgroundColor: RGBColor(red: background[0], green: background[1], blue: background[2])))
        self.decoding = decoding
    }

    public var imageSize: Int { preprocessor.parameters.imageSize }

    /// Decodes an image file (PNG or JPEG, by content).
    public func load(_ path: String) throws -> RGBImage {
        try ImageDecoder.decode(contentsOfFile: path, options: decoding).image
    }

    /// `[n, 3, S, S]` normalised pixels of `images`, in order.
    public func pixels(_ images: [RGBImage]) throws -> Tensor {
        let side = imageSize
        var values: [Float] = []
        values.reserveCapacity(images.count * 3 * side * side)
        for image in images { values += try preprocessor.preprocess(image).pixelValues }
        return Tensor(shape: [images.count, 3, side, side], values)
    }
}
