import Foundation
import JanusImage
import JanusTestSupport
import Testing

/// The `image_preprocess` golden case: the official VLMImageProcessor run on the fixture
/// images (decoding with the reference's behaviour: no EXIF rotation).
@Suite struct GoldenPreprocessingTests {
    static let imageCases = [
        "image.doge", "image.astronaut_portrait", "image.coffee_square",
        "image.motorcycle_strip", "image.coffee_alpha_rgba", "image.doge_crop_94x47",
    ]

    static func golden() throws -> [String: Any] { try Fixtures.goldenCase(named: "image_preprocess") }

    static func tensors() throws -> TestOnlySafetensors {
        try TestOnlySafetensors(path: Fixtures.path("fixtures/image_preprocess.safetensors"))
    }

    static func parameters(imageSize: Int? = nil) throws -> VLMImagePreprocessingParameters {
        let processor = try #require(try golden()["image_processor"] as? [String: Any])
        let mean = try #require(processor["image_mean"] as? [Double])
        let std = try #require(processor["image_std"] as? [Double])
        let background = try #require(processor["background_color"] as? [Int])
        return VLMImagePreprocessingParameters(
            imageSize: try imageSize ?? #require(processor["image_size"] as? Int),
            minSize: try #require(processor["min_size"] as? Int),
            imageMean: mean.map(Float.init), imageStd: std.map(Float.init),
            rescaleFactor: try #require(processor["rescale_factor"] as? Double),
            backgroundColor: RGBColor(red: UInt8(background[0]), green: UInt8(background[1]), blue: UInt8(background[2])))
    }

    static func imageCase(_ name: String) throws -> [String: Any] {
        let cases = try #require(try golden()["cases"] as? [[String: Any]])
        return try #require(cases.first { $0["name"] as? String == name })
    }

    @Test func sizeRuleMatchesAllReferenceCases() throws {
        let cases = try #require(try Self.golden()["size_rule_cases"] as? [[String: Any]])
        #expect(cases.count == 60)
        for ruleCase in cases {
            let imageSize = try #require(ruleCase["image_size"] as? Int)
            let source = try #require(ruleCase["source_wh"] as? [Int])
            let target = try #require(ruleCase["resize_target_hw"] as? [Int])
            let paste = try #require(ruleCase["paste_offset_xy"] as? [Int])
            let preprocessor = try VLMImagePreprocessor(parameters: Self.parameters(imageSize: imageSize))
            let size = preprocessor.resizeTarget(width: source[0], height: source[1])
            #expect([size.height, size.width] == target, "S=\(imageSize), source \(source[0])x\(source[1])")
            // The padding offsets follow from the target size alone.
            let square = preprocessor.expandToSquare(RGBImage(width: size.width, height: size.height,
                                                              pixels: [UInt8](repeating: 0, count: size.width * size.height * 3)))
            #expect([square.x, square.y] == paste, "S=\(imageSize), source \(source[0])x\(source[1])")
        }
    }

    @Test(arguments: imageCases)
    func decodingAndPreprocessingMatchTheReference(name: String) throws {
        let imageCase = try Self.imageCase(name)
        let tensors = try Self.tensors()
        let file = try #require(imageCase["image_file"] as? String)
        let decoded = try ImageDecoder.decode(contentsOfFile: Fixtures.path(file), options: .reference)
        #expect(decoded.pillowMode == imageCase["source_mode"] as? String)
        #expect([decoded.image.width, decoded.image.height] == imageCase["source_size_wh"] as? [Int])

        let hasSource = (imageCase["tensors"] as? [String: Any])?["source_rgb"] != nil
        if hasSource {
            let source = try tensors.uint8("\(name).source_rgb")
            #expect(source.shape == [decoded.image.height, decoded.image.width, 3])
            let mismatch = Compare.bytes(decoded.image.pixels, source.values, width: decoded.image.width)
            #expect(mismatch == nil, "decoded \(file) differs from Pillow's: \(mismatch ?? "")")
        }
        try Self.expectReferencePreprocessing(of: decoded.image, name: name, imageCase: imageCase, tensors: tensors)
    }

    /// The JPEG case gives Pillow's decode, so resizing is checked apart from the decoder.
    @Test func preprocessingPillowsJPEGDecodeMatchesTheReference() throws {
        let name = "image.coffee_square"
        let tensors = try Self.tensors()
        let source = try tensors.uint8("\(name).source_rgb")
        let image = RGBImage(width: source.shape[1], height: source.shape[0], pixels: source.values)
        try Self.expectReferencePreprocessing(of: image, name: name, imageCase: Self.imageCase(name), tensors: tensors)
    }

    static func expectReferencePreprocessing(of image: RGBImage, name: String, imageCase: [String: Any],
                                             tensors: TestOnlySafetensors) throws {
        let output = try VLMImagePreprocessor(parameters: parameters()).preprocess(image)

        let resized = try tensors.uint8("\(name).resized_rgb")
        #expect(resized.shape == [output.resized.height, output.resized.width, 3])
        #expect(resized.shape.prefix(2).elementsEqual(imageCase["resize_target_hw"] as? [Int] ?? []))
        let resizeMismatch = Compare.bytes(output.resized.pixels, resized.values, width: output.resized.width)
        #expect(resizeMismatch == nil, "\(name) resize: \(resizeMismatch ?? "")")

        let padded = try tensors.uint8("\(name).padded_rgb")
        #expect(padded.shape == [output.side, output.side, 3])
        #expect([output.pasteX, output.pasteY] == imageCase["paste_offset_xy"] as? [Int])
        let padMismatch = Compare.bytes(output.padded.pixels, padded.values, width: output.side)
        #expect(padMismatch == nil, "\(name) padding: \(padMismatch ?? "")")

        let pixelValues = try tensors.float32("\(name).pixel_values")
        #expect(pixelValues.shape == output.shape)
        let difference = Compare.maximumDifference(output.pixelValues, pixelValues.values)
        #expect(difference <= 1e-6, "\(name) pixel_values differ by up to \(difference)")
    }
}
