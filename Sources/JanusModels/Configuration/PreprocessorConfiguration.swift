import Foundation

/// `preprocessor_config.json` of `VLMImageProcessor`: how a picture becomes SigLIP input.
public struct PreprocessorConfiguration: Decodable, Sendable, Equatable {
    public var imageSize: Int
    public var minSize: Int
    public var imageMean: [Float]
    public var imageStd: [Float]
    public var rescaleFactor: Double
    public var doNormalize: Bool
    /// Colour of the padding that makes the resized image square.
    public var backgroundColor: [Int]

    enum CodingKeys: String, CodingKey {
        case imageSize = "image_size", minSize = "min_size", imageMean = "image_mean"
        case imageStd = "image_std", rescaleFactor = "rescale_factor", doNormalize = "do_normalize"
        case backgroundColor = "background_color"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Defaults of the reference VLMImageProcessor.
        imageSize = try c.decode(Int.self, forKey: .imageSize)
        minSize = try c.decodeIfPresent(Int.self, forKey: .minSize) ?? 14
        imageMean = try c.decodeIfPresent([Float].self, forKey: .imageMean) ?? [0.48145466, 0.4578275, 0.40821073]
        imageStd = try c.decodeIfPresent([Float].self, forKey: .imageStd) ?? [0.26862954, 0.26130258, 0.27577711]
        rescaleFactor = try c.decodeIfPresent(Double.self, forKey: .rescaleFactor) ?? 1 / 255
        doNormalize = try c.decodeIfPresent(Bool.self, forKey: .doNormalize) ?? true
        backgroundColor = try c.decodeIfPresent([Int].self, forKey: .backgroundColor) ?? [127, 127, 127]
        try requirePositive(c, [(.imageSize, imageSize), (.minSize, minSize)])
        guard imageMean.count == 3, imageStd.count == 3 else {
            throw invalid(c, CodingKeys.imageMean, "image_mean and image_std need 3 values (RGB)")
        }
        guard imageStd.allSatisfy({ $0 > 0 }) else { throw invalid(c, CodingKeys.imageStd, "must be positive") }
        guard backgroundColor.count == 3, backgroundColor.allSatisfy({ (0...255).contains($0) }) else {
            throw invalid(c, CodingKeys.backgroundColor, "must be 3 values in 0…255")
        }
    }

    public static func load(directory: String) throws -> PreprocessorConfiguration {
        try decodeConfigurationFile(PreprocessorConfiguration.self,
                                    at: URL(fileURLWithPath: directory).appendingPathComponent("preprocessor_config.json"))
    }
}
