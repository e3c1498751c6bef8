import CJanusWire
import Foundation
import JanusTensor
import JanusWire

/// Broken variants of a valid message (whose first tensor is frame 1), made by editing
/// its encoded frames: the header is unpacked with protobuf-c, changed in place and
/// packed again, so none of the sender's checks apply.
enum MalformedFrames {
    struct Case: CustomStringConvertible {
        let label: String
        let frames: [Data]
        var description: String { label }
    }

    static func cases(from valid: WireMessage) throws -> [Case] {
        let frames = try valid.encodedFrames()
        precondition(frames.count >= 2, "the valid message needs a tensor")
        let header = frames[0], tensors = Array(frames.dropFirst())
        return [
            Case(label: "random bytes", frames: [pseudoRandomBytes(count: 64)]),
            Case(label: "random multipart", frames: [pseudoRandomBytes(count: 40, seed: 1), pseudoRandomBytes(count: 300, seed: 2),
                                                     pseudoRandomBytes(count: 7, seed: 3)]),
            Case(label: "not protobuf", frames: [Data([0xFF, 0xFF, 0xFF])] + tensors),
            Case(label: "wrong version", frames: [try edit(header) { $0.pointee.version = 2 }] + tensors),
            Case(label: "lying shape", frames: [try edit(header) { $0.pointee.tensors[0]!.pointee.shape[0] *= 2 }] + tensors),
            Case(label: "huge dims", frames: [try edit(header) { header in
                let tensor = header.pointee.tensors[0]!.pointee
                for axis in 0..<tensor.n_shape { tensor.shape[axis] = 1 << 40 }
            }] + tensors),
            Case(label: "truncated tensor frame", frames: [header] + tensors.dropLast() + [tensors[tensors.count - 1].dropLast(3)]),
            Case(label: "tensor frame missing", frames: [header] + tensors.dropLast()),
            Case(label: "extra frame", frames: frames + [Data([1, 2, 3])]),
        ]
    }

    struct EditFailure: Error {}

    /// `header` unpacked, changed by `change` and packed again.
    static func edit(_ header: Data,
                     _ change: (UnsafeMutablePointer<Janus__Wire__V1__Header>) -> Void) throws -> Data {
        let unpacked = header.withUnsafeBytes { bytes in
            janus__wire__v1__header__unpack(nil, bytes.count, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self))
        }
        guard let unpacked else { throw EditFailure() }
        defer { janus__wire__v1__header__free_unpacked(unpacked, nil) }
        change(unpacked)
        var packed = [UInt8](repeating: 0, count: janus__wire__v1__header__get_packed_size(unpacked))
        _ = janus__wire__v1__header__pack(unpacked, &packed)
        return Data(packed)
    }

    /// Fixed "random" bytes (a linear congruential sequence), so a failure reproduces.
    static func pseudoRandomBytes(count: Int, seed: UInt64 = 0x5EED) -> Data {
        var state = seed
        return Data((0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
    }

    // MARK: Valid messages to break, one per kind of socket

    /// What a client sends the router: a question with a picture.
    static func clientRequest(id: String) throws -> WireMessage {
        let png = try Data(contentsOf: URL(fileURLWithPath: Golden.singleImage[0]))
        return WireMessage(requestID: id, body: .ask(AskRequest(question: "What is this?", maxNewTokens: 4,
                                                                sampling: Sampling(greedy: true))),
                           tensors: ["image.0": Tensor(shape: [png.count], [UInt8](png))])
    }

    /// What an encoder sends the router: embeddings of a picture.
    static func workerResult(id: String) -> WireMessage {
        WireMessage(requestID: id, body: .encodeResult(EncodeResult()),
                    tensors: ["embeddings": Tensor(zeros: [1, 36, 64])])
    }

    /// What a stage pushes to the next: one decode step's activations for a CFG pair.
    static func stepActivations(id: String, hidden: Int = 64) -> WireMessage {
        let slots = [RowSlot(sequenceID: id, row: 0, tokenCount: 1, position: 42),
                     RowSlot(sequenceID: id, row: 1, tokenCount: 1, position: 42)]
        return WireMessage(requestID: id, body: .step(StepActivations(stepID: 7, slots: slots)),
                           tensors: ["hidden": Tensor(zeros: [2, hidden])])
    }
}
