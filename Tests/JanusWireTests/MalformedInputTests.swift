import JanusTestSupport
import Foundation
import JanusTensor
import Testing
@testable import JanusWire

/// Every way a message can be broken gets a `WireError` with the right code and a message
/// that names the problem; nothing crashes, whatever the bytes.
@Suite struct MalformedInputTests {
    @Test func everyMalformedCaseIsRefusedPrecisely() throws {
        for malformed in try MalformedCase.all() {
            do {
                _ = try WireMessage(frames: malformed.frames, limits: malformed.limits)
                Issue.record("\(malformed.label): accepted")
            } catch {
                #expect(error.code == malformed.code, "\(malformed.label): \(error)")
                #expect(error.message.contains(malformed.expectedMessage),
                        "\(malformed.label): '\(error.message)' lacks '\(malformed.expectedMessage)'")
                #expect(error.requestID == (malformed.echoesRequestID ? "req-1" : nil), "\(malformed.label)")
                let reply = error.reply(origin: "test")
                #expect(reply.requestID == (malformed.echoesRequestID ? "req-1" : "unknown"))
                #expect(reply.body == .error(ErrorReply(code: malformed.code, message: error.message, origin: "test")))
                // The reply itself must be sendable.
                #expect(throws: Never.self) { _ = try reply.encodedFrames() }
            }
        }
    }

    @Test func randomBytesNeverCrash() {
        var generator = SeededGenerator(seed: 0x5EED)
        var refused = 0
        let trials = 3000
        for _ in 0..<trials {
            let frameCount = Int.random(in: 1...4, using: &generator)
            let frames = (0..<frameCount).map { _ in
                Data((0..<Int.random(in: 0...96, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
            do {
                _ = try WireMessage(frames: frames)
            } catch {
                #expect(!error.message.isEmpty)
                refused += 1
            }
        }
        // A random header that is also a valid v1 message with a body is astronomically unlikely.
        #expect(refused == trials)
    }

    @Test func flippedBytesOfValidMessagesNeverCrash() throws {
        var generator = SeededGenerator(seed: 42)
        let valid = try Samples.messageWithEveryDType().encodedFrames()
        var outcomes: [ErrorCode?: Int] = [:]
        for _ in 0..<3000 {
            var header = [UInt8](valid[0])
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                header[Int.random(in: 0..<header.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            do {
                let decoded = try WireMessage(frames: [Data(header)] + valid.dropFirst())
                // Whatever got through was checked: each tensor matches its frame exactly.
                for named in decoded.tensors { #expect(named.tensor.byteCount == named.tensor.rawBytes.count) }
                outcomes[nil, default: 0] += 1
            } catch {
                outcomes[error.code, default: 0] += 1
            }
        }
        #expect(outcomes[.malformed, default: 0] > 0)
        #expect(Set(outcomes.keys).isSubset(of: [nil, .malformed, .unsupportedVersion]), "\(outcomes)")
    }

    @Test func bodyWithoutItsSubmessagesReadsAsDefaults() throws {
        // proto3: an absent message field reads as its default, as in every implementation.
        let frames = try RawHeader(body: .submitSequence(SubmitSequence()), edit: { header, _ in
            header.pointee.submit_sequence.pointee.spec = nil
        }).frames()
        #expect(try WireMessage(frames: frames).body == .submitSequence(SubmitSequence()))
    }
}

/// `WireMessage.tensor(named:dtype:rank:)`, the services' check of a body's tensors.
@Suite struct TensorLookupTests {
    let message = WireMessage(requestID: "req-9", body: .step(StepActivations()),
                              tensors: ["hidden": Tensor(zeros: [2, 8]), "positions": Tensor(zeros: [2], dtype: .i64)])

    @Test func findsAndChecks() throws {
        #expect(try message.tensor(named: "hidden", dtype: .f32, rank: 2).shape == [2, 8])
        #expect(try message.tensor(named: "positions", dtype: .i64).shape == [2])
    }

    @Test func missingTensorIsMalformed() {
        #expect(throws: WireError(.malformed, "step message has no tensor 'codes' (it has 'hidden', 'positions')",
                                  requestID: "req-9")) {
            try message.tensor(named: "codes", dtype: .i64)
        }
    }

    @Test func wrongDTypeOrRankIsInvalidArgument() {
        #expect(throws: WireError(.invalidArgument, "tensor 'hidden' of the step message is f32, expected bf16",
                                  requestID: "req-9")) {
            try message.tensor(named: "hidden", dtype: .bf16)
        }
        #expect(throws: WireError(.invalidArgument,
                                  "tensor 'hidden' of the step message has shape [2, 8] (rank 2), expected rank 3",
                                  requestID: "req-9")) {
            try message.tensor(named: "hidden", dtype: .f32, rank: 3)
        }
    }

    @Test func replyEchoesTheRequest() {
        let error = WireError(.notFound, "no sequence 'x'")
        #expect(error.reply().requestID == "unknown")
        #expect(error.reply(to: "req-3").requestID == "req-3")
        var known = error
        known.requestID = "req-4"
        #expect(known.reply().requestID == "req-4")
        #expect(known.reply(origin: "stage-0").body == .error(ErrorReply(code: .notFound, message: "no sequence 'x'",
                                                                          origin: "stage-0")))
    }
}
