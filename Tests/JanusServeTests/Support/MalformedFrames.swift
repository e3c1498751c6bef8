import Foundation
import JanusTensor
import JanusWire

/// Broken variants of a valid message whose first tensor is in frame 1: what a buggy or
/// hostile peer might send. Each must be refused with an `Error`, never acted on.
enum MalformedFrames {
    struct Case {
        let label: String
        let frames: [Data]
        /// The codes an acceptable refusal may carry.
        let codes: Set<ErrorCode>
    }

    static func cases(from valid: WireMessage) throws -> [Case] {
        let frames = try valid.encodedFrames()
        precondition(frames.count >= 2, "the valid message needs a tensor")
        var wrongVersion = valid
        wrongVersion.header.version = 2
        // The first tensor declared twice as large as the bytes that follow it.
        var lying = valid
        let first = valid.tensors[0].tensor
        lying.tensors[0].tensor = Tensor(zeros: [first.shape[0] * 2] + first.shape.dropFirst(), dtype: first.dtype)
        let lyingFrames = try lying.encodedFrames()
        let malformed: Set<ErrorCode> = [.malformed]
        return [
            Case(label: "random bytes", frames: [pseudoRandomBytes(count: 64)], codes: [.malformed, .unsupportedVersion]),
            Case(label: "empty header", frames: [Data()], codes: [.malformed, .unsupportedVersion]),
            Case(label: "wrong version", frames: try wrongVersion.encodedFrames(), codes: [.unsupportedVersion]),
            Case(label: "tensor frame missing", frames: [frames[0]], codes: malformed),
            Case(label: "truncated tensor frame", frames: [frames[0], frames[1].dropLast(3)] + frames.dropFirst(2),
                 codes: malformed),
            Case(label: "lying shape", frames: [lyingFrames[0], frames[1]] + frames.dropFirst(2), codes: malformed),
            Case(label: "extra frame", frames: frames + [Data([1, 2, 3])], codes: malformed),
        ]
    }

    /// Fixed "random" bytes (a linear congruential sequence), so a failure reproduces.
    static func pseudoRandomBytes(count: Int, seed: UInt64 = 0x5EED) -> Data {
        var state = seed
        return Data((0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
    }
}
