import Foundation
import JanusImage

/// Summaries instead of dumping whole pixel arrays when a comparison fails.
enum Compare {
    /// Nil when equal, else the count of differing bytes and the first difference.
    static func bytes(_ actual: [UInt8], _ expected: [UInt8], channels: Int = 3, width: Int = 0) -> String? {
        guard actual.count == expected.count else { return "\(actual.count) bytes instead of \(expected.count)" }
        let differing = actual.indices.filter { actual[$0] != expected[$0] }
        guard let first = differing.first else { return nil }
        let pixel = first / channels
        let place = width > 0 ? "x \(pixel % width), y \(pixel / width)" : "pixel \(pixel)"
        return "\(differing.count) bytes differ; first at \(place) channel \(first % channels): "
            + "\(actual[first]) instead of \(expected[first])"
    }

    static func maximumDifference(_ actual: [Float], _ expected: [Float]) -> Float {
        precondition(actual.count == expected.count, "\(actual.count) values instead of \(expected.count)")
        return zip(actual, expected).reduce(0) { max($0, abs($1.0 - $1.1)) }
    }
}

extension Array where Element == UInt8 {
    init(base64 text: String) {
        self = Data(base64Encoded: text).map { [UInt8]($0) } ?? []
    }
}

extension RGBImage {
    /// A deterministic picture with edges and gradients.
    static func pattern(width: Int, height: Int, seed: Int = 1) -> RGBImage {
        var pixels = [UInt8]()
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                pixels += [UInt8((x * 37 + y * 11 + seed) & 0xFF), UInt8((x * y + seed * 7) & 0xFF),
                           (x / 3 + y / 2).isMultiple(of: 2) ? 250 : 5]
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }
}
