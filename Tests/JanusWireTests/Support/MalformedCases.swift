import CJanusWire
import Foundation
import JanusTensor
@testable import JanusWire

/// A message that must be refused, the code it must get and words its error must contain.
struct MalformedCase: Sendable {
    var label: String
    var frames: [Data]
    var code: ErrorCode
    var expectedMessage: String
    /// Whether the request id was readable, so the error (and its reply) must carry it.
    var echoesRequestID = true
    var limits = WireLimits.default

}

extension MalformedCase {
    /// Every way of breaking a message the decoder must catch.
    static func all() throws -> [MalformedCase] {
        let valid = try Samples.messageWithEveryDType().encodedFrames()
        let hello = WireBody.hello(Hello(role: .stage, name: "stage-1"))
        let step = WireBody.step(StepActivations(newSequences: [Samples.imageSpec]))
        let oneTensor = [reference("hidden", f32Number, [2, 64], frame: 1)]
        var tinyBudget = WireLimits()
        tinyBudget.maxElements = 100
        var tinyBytes = WireLimits()
        tinyBytes.maxTensorBytes = 100

        return [
            MalformedCase(label: "empty multipart", frames: [], code: .malformed,
                          expectedMessage: "empty multipart message", echoesRequestID: false),
            MalformedCase(label: "header too big", frames: [Data(count: (1 << 20) + 1)], code: .malformed,
                          expectedMessage: "header frame has 1048577 bytes; the limit is 1048576",
                          echoesRequestID: false),
            MalformedCase(label: "not protobuf", frames: [Data([0xFF, 0xFF, 0xFF])], code: .malformed,
                          expectedMessage: "header frame (3 bytes) is not a valid janus.wire.v1.Header",
                          echoesRequestID: false),
            MalformedCase(label: "empty header frame", frames: [Data()], code: .unsupportedVersion,
                          expectedMessage: "protocol version 0 is not supported", echoesRequestID: false),
            MalformedCase(label: "newer version", frames: try RawHeader(version: 2).frames(), code: .unsupportedVersion,
                          expectedMessage: "protocol version 2 is not supported (this process speaks version 1)",
                          echoesRequestID: false),
            MalformedCase(label: "no body", frames: try RawHeader(body: nil).frames(), code: .malformed,
                          expectedMessage: "header has no body"),
            // Field 50, length-delimited, empty: a body a later version might add.
            MalformedCase(label: "unknown body", frames: try RawHeader(body: nil, trailingBytes: [0x92, 0x03, 0x00]).frames(),
                          code: .malformed, expectedMessage: "header has no body"),
            MalformedCase(label: "unknown role", frames: try RawHeader(body: hello, edit: { header, _ in
                header.pointee.hello.pointee.role = .init(rawValue: 17)
            }).frames(), code: .malformed, expectedMessage: "hello.role has unknown Role value 17"),
            MalformedCase(label: "unknown nested mode", frames: try RawHeader(body: step, edit: { header, _ in
                header.pointee.step.pointee.new_sequences[0]?.pointee.mode = .init(rawValue: 9)
            }).frames(), code: .malformed, expectedMessage: "step.new_sequences[0].mode has unknown SequenceMode value 9"),
            MalformedCase(label: "unknown error code", frames: try RawHeader(body: .error(ErrorReply()), edit: { header, _ in
                header.pointee.error.pointee.code = .init(rawValue: 4242)
            }).frames(), code: .malformed, expectedMessage: "error.code has unknown ErrorCode value 4242"),
            MalformedCase(label: "unknown dtype", frames: try RawHeader(tensors: [reference("x", 9, [2], frame: 1)])
                .frames([Data(count: 8)]), code: .malformed, expectedMessage: "tensor 'x' has unknown dtype 9"),
            MalformedCase(label: "unspecified dtype", frames: try RawHeader(tensors: [reference("x", 0, [2], frame: 1)])
                .frames([Data(count: 8)]), code: .malformed, expectedMessage: "tensor 'x' has no dtype (DTYPE_UNSPECIFIED)"),
            MalformedCase(label: "lying shape", frames: try RawHeader(tensors: oneTensor).frames([Data(count: 500)]),
                          code: .malformed,
                          expectedMessage: "tensor 'hidden' declares [2, 64] f32 = 512 bytes but frame 1 has 500 bytes"),
            MalformedCase(label: "huge dimensions", frames: try RawHeader(tensors: [
                reference("huge", u8Number, [1 << 40, 1 << 40], frame: 1)]).frames([Data()]),
                          code: .malformed, expectedMessage: "tensor 'huge' dimension 0 is 1099511627776; the limit is 2147483648"),
            MalformedCase(label: "overflowing product", frames: try RawHeader(tensors: [
                reference("wide", u8Number, [1 << 31, 1 << 31, 1 << 31], frame: 1)]).frames([Data()]),
                          code: .malformed, expectedMessage: "tensor 'wide' shape [2147483648, 2147483648, 2147483648] has too many elements"),
            MalformedCase(label: "huge but empty", frames: try RawHeader(tensors: [
                reference("hollow", f32Number, [0, 1 << 31, 1 << 31], frame: 1)]).frames([Data()]),
                          code: .malformed, expectedMessage: "tensor 'hollow' shape [0, 2147483648, 2147483648] has too many elements"),
            MalformedCase(label: "element budget", frames: try RawHeader(tensors: [
                reference("a", u8Number, [60], frame: 1), reference("b", u8Number, [60], frame: 2),
            ]).frames([Data(count: 60), Data(count: 60)]), code: .malformed,
                          expectedMessage: "tensor 'b' [60] brings the message to 120 elements; the limit is 100",
                          limits: tinyBudget),
            MalformedCase(label: "byte budget", frames: try RawHeader(tensors: [
                reference("a", f32Number, [20], frame: 1), reference("b", f32Number, [20], frame: 2),
            ]).frames([Data(count: 80), Data(count: 80)]), code: .malformed,
                          expectedMessage: "tensor 'b' [20] f32 brings the message to 160 bytes; the limit is 100",
                          limits: tinyBytes),
            MalformedCase(label: "too many dimensions", frames: try RawHeader(tensors: [
                reference("deep", u8Number, Array(repeating: 1, count: 9), frame: 1)]).frames([Data(count: 1)]),
                          code: .malformed, expectedMessage: "tensor 'deep' has 9 dimensions; the limit is 8"),
            MalformedCase(label: "truncated tensor frame", frames: Array(valid.dropLast()) + [valid[valid.count - 1].dropLast(3)],
                          code: .malformed, expectedMessage: "tensor 't.u8' declares [2, 3] u8 = 6 bytes but frame 7 has 3 bytes"),
            MalformedCase(label: "missing frame", frames: Array(valid.dropLast()), code: .malformed,
                          expectedMessage: "tensor 't.u8' refers to frame 7 but the message has only 7 frames"),
            MalformedCase(label: "extra frame", frames: valid + [Data([1, 2, 3])], code: .malformed,
                          expectedMessage: "frame 8 is not described by any tensor"),
            MalformedCase(label: "duplicate frame index", frames: try RawHeader(tensors: [
                reference("a", u8Number, [4], frame: 1), reference("b", u8Number, [4], frame: 1),
            ]).frames([Data(count: 4), Data(count: 4)]), code: .malformed,
                          expectedMessage: "tensors 'a' and 'b' both refer to frame 1"),
            MalformedCase(label: "tensor in the header frame", frames: try RawHeader(tensors: [
                reference("a", u8Number, [4], frame: 0)]).frames([Data(count: 4)]), code: .malformed,
                          expectedMessage: "tensor 'a' refers to frame 0, which is the header"),
            MalformedCase(label: "duplicate tensor names", frames: try RawHeader(tensors: [
                reference("a", u8Number, [4], frame: 1), reference("a", u8Number, [4], frame: 2),
            ]).frames([Data(count: 4), Data(count: 4)]), code: .malformed,
                          expectedMessage: "tensors[0] and tensors[1] are both named 'a'"),
            MalformedCase(label: "empty tensor name", frames: try RawHeader(tensors: [reference("", u8Number, [4], frame: 1)])
                .frames([Data(count: 4)]), code: .malformed, expectedMessage: "tensors[0] has an empty name"),
            MalformedCase(label: "too many tensor frames", frames: [valid[0]] + Array(repeating: Data(), count: 1025),
                          code: .malformed, expectedMessage: "message has 1025 tensor frames; the limit is 1024",
                          echoesRequestID: false),
            MalformedCase(label: "empty request id", frames: try RawHeader(requestID: []).frames(), code: .malformed,
                          expectedMessage: "request_id is empty", echoesRequestID: false),
            MalformedCase(label: "overlong request id", frames: try RawHeader(requestID: Array(repeating: 0x61, count: 129)).frames(),
                          code: .malformed, expectedMessage: "request_id has 129 bytes; the limit is 128",
                          echoesRequestID: false),
            MalformedCase(label: "invalid UTF-8 request id", frames: try RawHeader(requestID: [0x72, 0xC3, 0x28]).frames(),
                          code: .malformed, expectedMessage: "request_id is not valid UTF-8", echoesRequestID: false),
            MalformedCase(label: "invalid UTF-8 in a body string", frames: try RawHeader(body: hello, edit: { header, arena in
                header.pointee.hello.pointee.name = arena.rawString([0x73, 0xFF, 0xFE])
            }).frames(), code: .malformed, expectedMessage: "hello.name is not valid UTF-8"),
            MalformedCase(label: "invalid UTF-8 deep in a body", frames: try RawHeader(body: step, edit: { header, arena in
                header.pointee.step.pointee.new_sequences[0]?.pointee.sequence_id = arena.rawString([0xED, 0xA0, 0x80])
            }).frames(), code: .malformed, expectedMessage: "step.new_sequences[0].sequence_id is not valid UTF-8"),
            MalformedCase(label: "invalid UTF-8 tensor name", frames: try RawHeader(tensors: [reference("a", u8Number, [1], frame: 1)],
                                                                                      edit: { header, arena in
                header.pointee.tensors[0]?.pointee.name = arena.rawString([0xC0, 0xAF])
            }).frames([Data(count: 1)]), code: .malformed, expectedMessage: "tensors[0].name is not valid UTF-8"),
        ]
    }
}
