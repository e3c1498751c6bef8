import Foundation
import JanusImage
import JanusTestSupport
import Testing

/// Bad input of every kind is a thrown ImageDecodingError whose message says what is wrong.
@Suite struct ImageDecodingErrorTests {
    static let png = (try? Data(contentsOf: Fixtures.url("images/doge_crop_94x47.png"))) ?? Data()
    static let jpeg = (try? Data(contentsOf: Fixtures.url("images/coffee_square.jpg"))) ?? Data()

    /// The error `decode` throws, or nil.
    static func failure(_ data: Data, options: ImageDecodingOptions = .reference) -> ImageDecodingError? {
        do {
            _ = try ImageDecoder.decode(data, options: options)
            return nil
        } catch {
            return error as? ImageDecodingError
        }
    }

    /// The fixture with its IHDR replaced by one declaring width x height (8-bit RGB, valid
    /// CRC), so that nothing but the size is wrong.
    static func pngDeclaring(width: UInt32, height: UInt32) -> Data {
        Data(Array(png.prefix(8)) + HandMadePNG.ihdr(width: width, height: height) + Array(png.dropFirst(33)))
    }

    /// The JPEG fixture with its frame header's size replaced.
    static func jpegDeclaring(width: UInt16, height: UInt16) throws -> Data {
        var bytes = [UInt8](jpeg)
        var offset = 2
        // Walk the marker segments up to the baseline or progressive frame header.
        while offset + 4 <= bytes.count, bytes[offset] == 0xFF, ![0xC0, 0xC2].contains(bytes[offset + 1]) {
            offset += 2 + (Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3]))
        }
        try #require(offset + 9 <= bytes.count && [0xC0, 0xC2].contains(bytes[offset + 1]))
        bytes[(offset + 5)...(offset + 8)] = [UInt8(height >> 8), UInt8(height & 0xFF), UInt8(width >> 8), UInt8(width & 0xFF)]
        return Data(bytes)
    }

    @Test func emptyInput() {
        let error = Self.failure(Data())
        #expect(error?.problem == .emptyInput)
        #expect(error?.description == "no image data (0 bytes)")
    }

    @Test func nonImageBytesShowHowTheyStart() {
        let html = Self.failure(Data("<html><body>not an image</body></html>".utf8))
        #expect(html?.description == "not a PNG or JPEG file (starts with 3c 68 74 6d 6c 3e 3c 62 \"<html><b\")")
        let gif = Self.failure(Data([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00]))
        #expect(gif?.description.hasPrefix("not a PNG or JPEG file (starts with 47 49 46 38 39 61 01 00") == true)
        #expect(Self.failure(Data([0x00]))?.problem == .unrecognisedFormat(leadingBytes: [0]))
    }

    /// Cut inside the signature, the IHDR, right after it, and at several places in IDAT.
    @Test(arguments: [4, 12, 20, 33, 41, 100, 3491, 6900, 6959])
    func truncatedPNG(at length: Int) {
        let error = Self.failure(Self.png.prefix(length))
        guard case .truncated(.png, _)? = error?.problem else {
            Issue.record("cut at \(length): \(String(describing: error))")
            return
        }
        #expect(error?.description.hasPrefix("truncated PNG (") == true)
    }

    /// Pillow stops reading after the image data, so a missing IEND does not matter.
    @Test func pngWithoutIENDStillDecodes() throws {
        let complete = try ImageDecoder.decode(Self.png)
        #expect(try ImageDecoder.decode(Self.png.prefix(Self.png.count - 12)) == complete)
    }

    @Test func corruptPNGDataIsReported() {
        var damagedData = [UInt8](Self.png)
        damagedData[500] ^= 0xFF   // inside the deflate stream of IDAT
        let data = Self.failure(Data(damagedData))
        guard case .corrupt(.png, _)? = data?.problem else {
            Issue.record("\(String(describing: data))")
            return
        }
        #expect(data?.description.hasPrefix("corrupt PNG: IDAT") == true)

        var damagedCRC = [UInt8](Self.png)
        damagedCRC[30] ^= 0xFF   // IHDR's CRC
        #expect(Self.failure(Data(damagedCRC))?.description == "corrupt PNG: IHDR: CRC error")
    }

    @Test(arguments: [2, 10, 100, 5000, 19427, 38852])
    func truncatedJPEG(at length: Int) {
        let error = Self.failure(Self.jpeg.prefix(length))
        guard case .truncated(.jpeg, _)? = error?.problem else {
            Issue.record("cut at \(length): \(String(describing: error))")
            return
        }
        #expect(error?.description.hasPrefix("truncated JPEG (") == true)
    }

    @Test func zeroSizedHeaders() throws {
        #expect(Self.failure(Self.pngDeclaring(width: 0, height: 16))?.description == "image is 0x16")
        #expect(Self.failure(Self.pngDeclaring(width: 0, height: 0))?.description == "image is 0x0")
        #expect(Self.failure(try Self.jpegDeclaring(width: 320, height: 0))?.description == "image is 320x0")
    }

    @Test func oversizedHeadersAreRefusedBeforeDecoding() throws {
        #expect(Self.failure(Self.pngDeclaring(width: 100_000, height: 100_000))?.description
            == "image is 100000x100000 = 10000 MP, above the 64 MP limit")
        #expect(Self.failure(Self.pngDeclaring(width: 20000, height: 20000))?.description
            == "image is 20000x20000 = 400 MP, above the 64 MP limit")
        #expect(Self.failure(Self.pngDeclaring(width: .max, height: .max))?.problem
            == .tooManyPixels(width: Int(UInt32.max), height: Int(UInt32.max), limit: 64_000_000))
        #expect(Self.failure(try Self.jpegDeclaring(width: 60000, height: 60000))?.description
            == "image is 60000x60000 = 3600 MP, above the 64 MP limit")
    }

    @Test func thePixelLimitIsConfigurable() throws {
        let tight = ImageDecodingOptions(maximumPixelCount: 4000)
        #expect(Self.failure(Self.png, options: tight)?.description
            == "image is 94x47 = 4418 pixels, above the 4000 pixels limit")
        #expect(Self.failure(Self.jpeg, options: .init(maximumPixelCount: 102_399)) != nil)
        #expect(Self.failure(Self.jpeg, options: .init(maximumPixelCount: 102_400)) == nil)
        // Long thin strips are fine under the limit, though libpng's own default refuses
        // sides above a million pixels: a 2,000,000 x 1 black-and-white line.
        let line = HandMadePNG.file(width: 2_000_000, height: 1, bitDepth: 1, colorType: 0,
                                    rows: [[UInt8](repeating: 0b1010_0000, count: 250_000)])
        let decoded = try ImageDecoder.decode(Data(line))
        #expect(decoded.pillowMode == "1" && decoded.image.width == 2_000_000)
        #expect(decoded.image[0, 0] == (255, 255, 255) && decoded.image[1, 0] == (0, 0, 0)
            && decoded.image[2, 0] == (255, 255, 255) && decoded.image[7, 0] == (0, 0, 0))
    }

    @Test func errorsFromFilesNameTheFile() throws {
        let directory = try Fixtures.temporaryDirectory("janus-image")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cut = directory.appendingPathComponent("cut.png")
        try Self.png.prefix(100).write(to: cut)
        do {
            _ = try ImageDecoder.decode(contentsOfFile: cut.path)
            Issue.record("a truncated file decoded")
        } catch let error as ImageDecodingError {
            #expect(error.path == cut.path)
            #expect(error.description.hasPrefix("\(cut.path): truncated PNG ("))
        }
        let missing = directory.appendingPathComponent("missing.jpg").path
        #expect(throws: ImageDecodingError.self) { try RGBImage(contentsOfFile: missing) }
        do {
            _ = try RGBImage(contentsOfFile: missing)
        } catch let error as ImageDecodingError {
            #expect(error.description.hasPrefix("\(missing): cannot read the file"))
        }
    }

    /// Random byte damage never crashes the decoders: each attempt decodes or throws.
    @Test func damagedFilesNeverCrash() {
        var generator = SystemRandomNumberGenerator.seeded(42)
        for original in [Self.png, Self.jpeg] {
            for _ in 0..<60 {
                var bytes = [UInt8](original)
                for _ in 0..<Int.random(in: 1...8, using: &generator) {
                    bytes[Int.random(in: 2..<bytes.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                let length = Int.random(in: bytes.count / 2...bytes.count, using: &generator)
                _ = Self.failure(Data(bytes.prefix(length)))
            }
        }
    }
}


extension SystemRandomNumberGenerator {
    static func seeded(_ seed: UInt64) -> SeededGenerator { SeededGenerator(seed: seed) }
}
