import Foundation
import JanusImage
import JanusTestSupport
import Testing

extension PillowDecodedImage: CustomTestStringConvertible {
    var testDescription: String { "\(name) (\(note))" }
}

extension PillowOrientedJPEG: CustomTestStringConvertible {
    var testDescription: String { "orientation \(orientation)" }
}

/// Layouts the golden images do not cover, against what Pillow decodes
/// (see PillowReferenceImages.swift).
@Suite struct PillowReferenceDecodingTests {
    @Test(arguments: PillowReference.decodedImages)
    func decodesLikePillow(reference: PillowDecodedImage) throws {
        let decoded = try ImageDecoder.decode(Data([UInt8](base64: reference.file)), options: .reference)
        #expect(decoded.pillowMode == reference.pillowMode)
        #expect(decoded.image.width == reference.width && decoded.image.height == reference.height)
        let mismatch = Compare.bytes(decoded.image.pixels, [UInt8](base64: reference.rgb), width: reference.width)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func layoutsAreRecognisedByContentNotExtension() throws {
        let directory = try Fixtures.temporaryDirectory("janus-image")
        defer { try? FileManager.default.removeItem(at: directory) }
        let png = try #require(PillowReference.decodedImages.first { $0.name == "grey8" })
        let misnamed = directory.appendingPathComponent("really-a-png.jpg")
        try Data([UInt8](base64: png.file)).write(to: misnamed)
        let decoded = try ImageDecoder.decode(contentsOfFile: misnamed.path)
        #expect(decoded.format == .png)
        #expect(decoded.image.pixels == [UInt8](base64: png.rgb))
        #expect(ImageFormat.detect([UInt8](base64: png.file)) == .png)
        #expect(ImageFormat.detect([0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.detect(Array("GIF89a".utf8)) == nil)
    }

    @Test(arguments: PillowReference.orientedJPEGs)
    func referenceOptionsKeepTheStoredPixelGrid(reference: PillowOrientedJPEG) throws {
        let decoded = try ImageDecoder.decode(Data([UInt8](base64: reference.file)), options: .reference)
        #expect(decoded.exifOrientation?.rawValue == reference.orientation)
        #expect(!decoded.orientationApplied)
        #expect(decoded.image.width == reference.storedWidth && decoded.image.height == reference.storedHeight)
        let mismatch = Compare.bytes(decoded.image.pixels, [UInt8](base64: reference.storedRGB))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test(arguments: PillowReference.orientedJPEGs)
    func defaultOptionsTurnThePictureUprightLikeExifTranspose(reference: PillowOrientedJPEG) throws {
        let decoded = try ImageDecoder.decode(Data([UInt8](base64: reference.file)))
        #expect(decoded.orientationApplied == (reference.orientation != 1))
        #expect(decoded.image.width == reference.uprightWidth && decoded.image.height == reference.uprightHeight)
        let mismatch = Compare.bytes(decoded.image.pixels, [UInt8](base64: reference.uprightRGB))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func goldenJPEGHasNoOrientationSoBothOptionsAgree() throws {
        let path = Fixtures.path("images/coffee_square.jpg")
        let upright = try ImageDecoder.decode(contentsOfFile: path)
        #expect(upright.exifOrientation == nil && !upright.orientationApplied)
        #expect(try upright.image == RGBImage(contentsOfFile: path, options: .reference))
    }
}
