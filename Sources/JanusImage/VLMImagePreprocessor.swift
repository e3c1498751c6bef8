/// Why a picture could not be preprocessed.
public enum ImagePreprocessingError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidParameters(String)
    case emptyImage(width: Int, height: Int)

    public var description: String {
        switch self {
        case .invalidParameters(let reason): "invalid image preprocessing parameters: \(reason)"
        case .emptyImage(let width, let height): "cannot preprocess an empty \(width)x\(height) image"
        }
    }
}

/// The vision encoder's input for one picture, with the intermediate pictures.
public struct VLMPreprocessedImage: Sendable, Equatable {
    /// Channel-major (CHW) float32 values, `shape` = [3, side, side].
    public var pixelValues: [Float]
    /// The square's side: `imageSize`, unless `minSize` is larger.
    public var side: Int
    /// The picture after the bicubic resize, before padding.
    public var resized: RGBImage
    /// Where `resized` sits in the square (top-left corner).
    public var pasteX: Int
    public var pasteY: Int
    /// The padded square, before rescaling.
    public var padded: RGBImage

    public var shape: [Int] { [3, side, side] }
}

/// The reference `VLMImageProcessor` (janus/models/image_processing_vlm.py) for one RGB
/// picture: resize keeping the aspect ratio with Pillow's bicubic filter so the longer
/// side is `imageSize`, pad to a square with `backgroundColor` (`expand2square`), then
/// rescale and normalise into float32 CHW. Identical values for identical pixels.
public struct VLMImagePreprocessor: Sendable {
    public let parameters: VLMImagePreprocessingParameters

    public init(parameters: VLMImagePreprocessingParameters = VLMImagePreprocessingParameters()) throws {
        if let problem = parameters.problem { throw ImagePreprocessingError.invalidParameters(problem) }
        self.parameters = parameters
    }

    /// The size the reference resizes a width x height picture to:
    /// `[max(int(h / max(w, h) * S), min_size), max(int(w / max(w, h) * S), min_size)]`,
    /// in double precision and in exactly this order of operations: `h * (S / max)`
    /// rounds differently (383 instead of 384 for some squares).
    public func resizeTarget(width: Int, height: Int) -> (width: Int, height: Int) {
        let longest = Double(max(width, height))
        let size = Double(parameters.imageSize)
        // Python's int() truncates; the quotient is at most 1, so the product fits.
        let targetHeight = max(Int(Double(height) / longest * size), parameters.minSize)
        let targetWidth = max(Int(Double(width) / longest * size), parameters.minSize)
        return (targetWidth, targetHeight)
    }

    public func preprocess(_ image: RGBImage) throws -> VLMPreprocessedImage {
        guard image.width > 0, image.height > 0 else {
            throw ImagePreprocessingError.emptyImage(width: image.width, height: image.height)
        }
        let target = resizeTarget(width: image.width, height: image.height)
        // torchvision's resize of a PIL image is Image.resize(size, BICUBIC).
        let resized = image.resizedBicubic(width: target.width, height: target.height)
        let square = expandToSquare(resized)
        return VLMPreprocessedImage(pixelValues: pixelValues(of: square.image), side: square.image.width,
                                    resized: resized, pasteX: square.x, pasteY: square.y, padded: square.image)
    }

    /// The reference's `expand2square`: a max(w, h) square of `backgroundColor` with the
    /// picture pasted at ((side - w) / 2, (side - h) / 2), rounding down.
    public func expandToSquare(_ image: RGBImage) -> (image: RGBImage, x: Int, y: Int) {
        let side = max(image.width, image.height)
        guard image.width != image.height else { return (image, 0, 0) }
        let x = (side - image.width) / 2, y = (side - image.height) / 2
        let background = parameters.backgroundColor
        var pixels = [UInt8](repeating: 0, count: side * side * 3)
        for offset in stride(from: 0, to: pixels.count, by: 3) {
            pixels[offset] = background.red
            pixels[offset + 1] = background.green
            pixels[offset + 2] = background.blue
        }
        let rowBytes = image.width * 3
        for row in 0..<image.height {
            let target = ((row + y) * side + x) * 3
            pixels.replaceSubrange(target..<target + rowBytes,
                                   with: image.pixels[row * rowBytes..<(row + 1) * rowBytes])
        }
        return (RGBImage(width: side, height: side, pixels: pixels), x, y)
    }

    /// HWC bytes to normalised CHW float32, as transformers' `rescale` (float64 product,
    /// then float32) and `normalize` ((x - mean) / std in float32) compute it.
    public func pixelValues(of image: RGBImage) -> [Float] {
        // 256 possible inputs per channel: compute each value once, exactly as the
        // reference does, then look them up.
        let table: [[Float]] = (0..<3).map { channel in
            (0..<256).map { byte in
                let rescaled = Float(Double(byte) * parameters.rescaleFactor)
                guard parameters.normalize else { return rescaled }
                return (rescaled - parameters.imageMean[channel]) / parameters.imageStd[channel]
            }
        }
        let plane = image.width * image.height
        var values = [Float](repeating: 0, count: 3 * plane)
        for pixel in 0..<plane {
            for channel in 0..<3 {
                values[channel * plane + pixel] = table[channel][Int(image.pixels[pixel * 3 + channel])]
            }
        }
        return values
    }
}
