import JanusTensor

/// Why a grid of image tokens cannot be decoded. Codes come from clients (or from the
/// sampler), so these are errors, not crashes.
public enum VQDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidGrid(height: Int, width: Int)
    case wrongCodeCount(image: Int, count: Int, gridHeight: Int, gridWidth: Int)
    case codeOutOfRange(image: Int, position: Int, code: Int, codebookSize: Int)

    public var description: String {
        switch self {
        case let .invalidGrid(height, width):
            "invalid image-token grid \(height)×\(width)"
        case let .wrongCodeCount(image, count, gridHeight, gridWidth):
            "image \(image): \(count) image tokens do not fill a \(gridHeight)×\(gridWidth) grid (\(gridHeight * gridWidth) expected)"
        case let .codeOutOfRange(image, position, code, codebookSize):
            "image \(image): image token \(code) at position \(position) is outside the codebook 0..<\(codebookSize)"
        }
    }
}

/// VQ-16 `decode_code`: image-token grids → RGB images (`gen_vision_model`, generation
/// only; the encoder half is not loaded).
///
/// Images are decoded one at a time, so memory is bounded by one image's activations
/// (a 64×64 grid → 1024 px peaks at a few 512 MB f32 activations).
public struct VQImageDecoder: Sendable {
    public let configuration: VQConfiguration
    public let codebook: VQCodebook
    public let postQuantConv: Conv2d
    public let decoder: VQDecoder

    /// Pixels per token along each side.
    public var downsample: Int { configuration.downsample }

    /// `weights` scoped at `gen_vision_model`.
    public init(weights: Weights, configuration: VQConfiguration) throws {
        self.configuration = configuration
        codebook = try VQCodebook(weights.scoped("quantize"), size: configuration.codebookSize,
                                  dimension: configuration.codebookDim)
        postQuantConv = try Conv2d(weights.scoped("post_quant_conv"), in: configuration.codebookDim,
                                   out: configuration.zChannels, kernel: 1)
        decoder = try VQDecoder(weights.scoped("decoder"), configuration: configuration)
    }

    /// One image: `codes` row-major over a `gridHeight × gridWidth` grid →
    /// `[1, 3, gridHeight·downsample, gridWidth·downsample]`, roughly in [-1, 1].
    public func decode(codes: [Int], gridHeight: Int, gridWidth: Int,
                       inspect: VQInspector? = nil) throws -> Tensor {
        var h = try codebook(codes: codes, gridHeight: gridHeight, gridWidth: gridWidth)
        inspect?(.quant, h)
        h = postQuantConv(h)
        inspect?(.postQuantConv, h)
        return decoder(h, inspect: inspect)
    }

    /// A batch of images on one grid → `[B, 3, H, W]`. Every image's codes are checked
    /// before any decoding starts; the images are then decoded one after another.
    public func decode(codes: [[Int]], gridHeight: Int, gridWidth: Int) throws -> Tensor {
        try validate(codes: codes, gridHeight: gridHeight, gridWidth: gridWidth)
        let output = Tensor(zeros: [codes.count, 3, gridHeight * downsample, gridWidth * downsample])
        let imageBytes = output.byteCount / max(codes.count, 1)
        for (index, imageCodes) in codes.enumerated() {
            let image = try decode(codes: imageCodes, gridHeight: gridHeight, gridWidth: gridWidth)
            precondition(image.byteCount == imageBytes, "VQImageDecoder: decoded \(image.shape), expected \(output.shape)")
            output.storage.baseAddress.advanced(by: output.byteOffset + index * imageBytes)
                .copyMemory(from: image.baseAddress, byteCount: imageBytes)
        }
        return output
    }

    /// Each image as HWC RGB bytes (`H·W·3`, see `rgbBytes(from:)`), decoded and
    /// converted one at a time.
    public func decodeToRGB(codes: [[Int]], gridHeight: Int, gridWidth: Int) throws -> [[UInt8]] {
        try validate(codes: codes, gridHeight: gridHeight, gridWidth: gridWidth)
        return try codes.map { imageCodes in
            rgbBytes(from: try decode(codes: imageCodes, gridHeight: gridHeight, gridWidth: gridWidth))[0]
        }
    }

    /// Checks every image's codes (count and range) without decoding.
    public func validate(codes: [[Int]], gridHeight: Int, gridWidth: Int) throws {
        guard gridHeight > 0, gridWidth > 0 else {
            throw VQDecodeError.invalidGrid(height: gridHeight, width: gridWidth)
        }
        for (index, imageCodes) in codes.enumerated() {
            try codebook.validate(codes: imageCodes, gridHeight: gridHeight, gridWidth: gridWidth, image: index)
        }
    }
}

/// The reference post-processing of decoded images, `[B, 3, H, W]` f32 → per image
/// `H·W·3` bytes (HWC, RGB): `clip((x + 1) / 2 * 255, 0, 255)` in f32, then the
/// float→uint8 conversion numpy performs on assignment (truncation toward zero).
/// NaN becomes 0.
public func rgbBytes(from decoded: Tensor) -> [[UInt8]] {
    precondition(decoded.rank == 4 && decoded.shape[1] == 3 && decoded.dtype == .f32,
                 "rgbBytes: expected f32 [B, 3, H, W], got \(decoded.dtype) \(decoded.shape)")
    let (height, width) = (decoded.shape[2], decoded.shape[3])
    let plane = height * width
    return (0..<decoded.shape[0]).map { image in
        let values = decoded[image].floats()
        return [UInt8](unsafeUninitializedCapacity: plane * 3) { pixels, initialized in
            values.withUnsafeBufferPointer { values in
                for channel in 0..<3 {
                    for index in 0..<plane {
                        let scaled = (values[channel * plane + index] + 1) / 2 * 255
                        let clipped: Float = scaled > 0 ? min(scaled, 255) : 0
                        pixels[index * 3 + channel] = UInt8(clipped)
                    }
                }
            }
            initialized = plane * 3
        }
    }
}
