/// Why a picture could not be decoded. Every problem with the input data ends up here
/// as a thrown error; nothing in a file can make the decoder trap.
public struct ImageDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case emptyInput
        case unreadableFile(reason: String)
        case unrecognisedFormat(leadingBytes: [UInt8])
        /// The data ends before the image is complete.
        case truncated(ImageFormat, detail: String)
        /// The decoding library rejected the data.
        case corrupt(ImageFormat, detail: String)
        /// Valid data in a layout this decoder does not handle.
        case unsupported(ImageFormat, detail: String)
        /// The header declares no pixels. A JPEG frame header may report only the zero side.
        case zeroSize(width: Int, height: Int)
        /// The header declares more pixels than `ImageDecodingOptions.maximumPixelCount`.
        case tooManyPixels(width: Int, height: Int, limit: Int)
        case outOfMemory(detail: String)
    }

    public var problem: Problem
    /// The file being decoded, when decoding from a path.
    public var path: String?

    public init(_ problem: Problem, path: String? = nil) {
        self.problem = problem
        self.path = path
    }

    public var description: String {
        guard let path else { return problem.description }
        return "\(path): \(problem)"
    }
}

extension ImageDecodingError.Problem: CustomStringConvertible {
    public var description: String {
        switch self {
        case .emptyInput:
            "no image data (0 bytes)"
        case .unreadableFile(let reason):
            "cannot read the file: \(reason)"
        case .unrecognisedFormat(let leadingBytes):
            "not a PNG or JPEG file (starts with \(Self.describe(leadingBytes)))"
        case .truncated(let format, let detail):
            "truncated \(format) (\(detail))"
        case .corrupt(let format, let detail):
            "corrupt \(format): \(detail)"
        case .unsupported(let format, let detail):
            "unsupported \(format): \(detail)"
        case .zeroSize(let width, let height):
            "image is \(width)x\(height)"
        case .tooManyPixels(let width, let height, let limit):
            "image is \(width)x\(height) = \(Self.amount(Self.pixelCount(width, height))), "
                + "above the \(Self.amount(UInt64(clamping: limit))) limit"
        case .outOfMemory(let detail):
            "out of memory: \(detail)"
        }
    }

    /// Hex, then the printable ASCII, e.g. `47 49 46 38 39 61 "GIF89a"`.
    private static func describe(_ bytes: [UInt8]) -> String {
        let hex = bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined(separator: " ")
        let text = String(decoding: bytes.map { (0x20..<0x7F).contains($0) ? $0 : UInt8(ascii: ".") }, as: UTF8.self)
        return "\(hex) \"\(text)\""
    }

    /// In UInt64, saturating: a PNG header may declare up to (2^32 - 1)^2 pixels.
    static func pixelCount(_ width: Int, _ height: Int) -> UInt64 {
        let (product, overflow) = UInt64(clamping: width).multipliedReportingOverflow(by: UInt64(clamping: height))
        return overflow ? .max : product
    }

    /// "400 MP", "64.008 MP" (decimal megapixels, up to three decimals), or "4418 pixels"
    /// below a megapixel.
    private static func amount(_ pixels: UInt64) -> String {
        guard pixels >= 1_000_000 else { return "\(pixels) pixels" }
        let thousandths = pixels / 1000 + (pixels % 1000 >= 500 ? 1 : 0)
        let whole = thousandths / 1000
        let fraction = thousandths % 1000
        guard fraction != 0 else { return "\(whole) MP" }
        var decimals = String(fraction).leftPadded(to: 3)
        while decimals.hasSuffix("0") { decimals.removeLast() }
        return "\(whole).\(decimals) MP"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
