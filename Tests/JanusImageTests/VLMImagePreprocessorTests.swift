import JanusImage
import Testing

@Suite struct VLMImagePreprocessorTests {
    @Test func emptyImagesAndBadParametersAreErrors() throws {
        let preprocessor = try VLMImagePreprocessor()
        #expect(throws: ImagePreprocessingError.emptyImage(width: 0, height: 0)) {
            try preprocessor.preprocess(RGBImage(width: 0, height: 0, pixels: []))
        }
        for bad in [VLMImagePreprocessingParameters(imageSize: 0), .init(minSize: -1), .init(imageMean: [0.5]),
                    .init(imageStd: [0.5, 0, 0.5]), .init(rescaleFactor: .nan)] {
            #expect(throws: ImagePreprocessingError.self) { try VLMImagePreprocessor(parameters: bad) }
        }
    }

    @Test func defaultsAreJanusPros() throws {
        let output = try VLMImagePreprocessor().preprocess(.pattern(width: 640, height: 427))
        #expect(output.shape == [3, 384, 384])
        #expect(output.resized.width == 384 && output.resized.height == 256)
        #expect(output.pasteX == 0 && output.pasteY == 64)
        // The padding is (127, 127, 127): 127/255 normalised with mean 0.5, std 0.5.
        let padding = (Float(Double(127) * (1.0 / 255.0)) - 0.5) / 0.5
        #expect(output.pixelValues[0] == padding && output.pixelValues[384 * 384] == padding)
    }

    /// With S below min_size both sides are raised to min_size: the square is min_size wide.
    @Test func minSizeWinsOverASmallImageSize() throws {
        let preprocessor = try VLMImagePreprocessor(parameters: .init(imageSize: 10, minSize: 14))
        #expect(preprocessor.resizeTarget(width: 100, height: 50) == (14, 14))
        let output = try preprocessor.preprocess(.pattern(width: 100, height: 50))
        #expect(output.side == 14 && output.shape == [3, 14, 14] && output.pixelValues.count == 3 * 14 * 14)
    }

    @Test func pixelValuesAreChannelMajorRescaledAndNormalised() throws {
        let image = RGBImage(width: 2, height: 2, pixels: [0, 51, 255, 10, 20, 30, 40, 50, 60, 255, 0, 128])
        let parameters = VLMImagePreprocessingParameters(imageMean: [0.25, 0.5, 0.75], imageStd: [0.5, 0.25, 2])
        let values = try VLMImagePreprocessor(parameters: parameters).pixelValues(of: image)
        func expected(_ byte: UInt8, _ channel: Int) -> Float {
            (Float(Double(byte) * (1.0 / 255.0)) - parameters.imageMean[channel]) / parameters.imageStd[channel]
        }
        #expect(values.count == 12)
        for pixel in 0..<4 {
            for channel in 0..<3 {
                #expect(values[channel * 4 + pixel] == expected(image.pixels[pixel * 3 + channel], channel))
            }
        }
        let rescaledOnly = try VLMImagePreprocessor(parameters: .init(normalize: false)).pixelValues(of: image)
        #expect(rescaledOnly[2] == Float(40 * (1.0 / 255.0)) && rescaledOnly[4] == Float(51 * (1.0 / 255.0)))
    }

    @Test func squareInputsAreNotPadded() throws {
        let preprocessor = try VLMImagePreprocessor(parameters: .init(imageSize: 32))
        let output = try preprocessor.preprocess(.pattern(width: 47, height: 47))
        #expect(output.resized == output.padded && output.pasteX == 0 && output.pasteY == 0)
    }
}
