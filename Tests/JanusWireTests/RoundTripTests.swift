import Foundation
import JanusTensor
import Testing
@testable import JanusWire

/// Encode -> frames -> decode, without sockets.
@Suite struct RoundTripTests {
    @Test func samplesCoverEveryBodyCase() {
        let names = Set(Samples.everyBody.map(\.fieldName))
        #expect(names.count == 23, "the proto's oneof body has 23 entries; samples cover \(names.sorted())")
    }

    @Test(arguments: Samples.everyBody)
    func everyBodyRoundTrips(_ body: WireBody) throws {
        let message = WireMessage(header: WireHeader(requestID: "req-\(body.fieldName)",
                                                     deadlineMilliseconds: 1_700_000_000_123, body: body))
        let frames = try message.encodedFrames()
        #expect(frames.count == 1)
        let decoded = try WireMessage(frames: frames)
        #expect(decoded.header == message.header)
        #expect(decoded.tensors.isEmpty)
    }

    @Test(arguments: DType.allCases)
    func tensorsOfEveryDTypeRoundTrip(_ dtype: DType) throws {
        let tensors = [
            NamedTensor(name: "matrix", tensor: Samples.tensor([3, 5], dtype, seed: 1)),
            NamedTensor(name: "empty", tensor: Samples.tensor([0, 4], dtype, seed: 2)),
            NamedTensor(name: "scalar", tensor: Samples.tensor([], dtype, seed: 3)),
            NamedTensor(name: "big", tensor: Samples.tensor([300, 7], dtype, seed: 4)),
        ]
        let message = WireMessage(header: WireHeader(requestID: "r", body: .encodeResult(EncodeResult())),
                                  tensors: tensors)
        let frames = try message.encodedFrames()
        #expect(frames.map(\.count) == [frames[0].count, 15 * dtype.size, 0, dtype.size, 2100 * dtype.size])
        let decoded = try WireMessage(frames: frames)
        #expect(sameTensors(decoded.tensors, tensors))
        #expect(decoded.tensors[1].tensor.elementCount == 0)
        #expect(decoded.tensors[2].tensor.rank == 0)
    }

    @Test func receivedTensorsAreFreshAlignedCopies() throws {
        // Frames deliberately start at odd addresses: a slice one byte into a buffer.
        let message = Samples.messageWithEveryDType()
        let frames = try message.encodedFrames().map { frame in (Data([0]) + frame).dropFirst() }
        let decoded = try WireMessage(frames: frames.map { Data($0) })
        #expect(sameTensors(decoded.tensors, message.tensors))
        for named in decoded.tensors {
            #expect(Int(bitPattern: named.tensor.baseAddress) % 64 == 0)
            #expect(named.tensor.isWritable)
            #expect(named.tensor.storage !== message.tensor(named: named.name)?.storage)
        }
    }

    @Test func tensorViewsSendOnlyTheirOwnBytes() throws {
        let whole = Samples.tensor([4, 8], .f32, seed: 5)
        let rows = whole.rows(1..<3)
        let message = WireMessage(requestID: "r", body: .step(StepActivations()), tensors: ["hidden": rows])
        let decoded = try WireMessage(frames: try message.encodedFrames())
        let hidden = try decoded.tensor(named: "hidden", dtype: .f32, rank: 2)
        #expect(hidden.shape == [2, 8])
        #expect(sameBytes(hidden, rows))
    }

    /// JanusFlow's latents ride as tensors next to the pipeline bodies (one per unfinished
    /// sequence of a sampled step, the final ones on the finished event) and the decode
    /// request.
    @Test func flowLatentsTravelWithTheirBodies() throws {
        let latents = Samples.tensor([3, 4, 48, 48], .f32, seed: 6)
        let messages = [
            WireMessage(requestID: "sampled-7", body: .sampled(SampledTokens(stepID: 7, sequences: [
                SequenceTokens(sequenceID: "seq-9"), Samples.tokens])), tensors: ["latents.0": latents]),
            WireMessage(requestID: "seq-9", body: .sequenceEvent(SequenceEvent(tokens: SequenceTokens(
                sequenceID: "seq-9", finished: true, finishReason: "complete"), step: 29)), tensors: ["latents": latents]),
            WireMessage(requestID: "seq-9/image.2", body: .decodeRequest(DecodeRequest(gridHeight: 48, gridWidth: 48)),
                        tensors: ["latents": latents.rows(2..<3)]),
        ]
        for message in messages {
            let decoded = try WireMessage(frames: try message.encodedFrames())
            #expect(decoded.header == message.header)
            #expect(sameTensors(decoded.tensors, message.tensors), "\(message.body.fieldName)")
        }
    }

    @Test func flowFieldsLeftAtTheirDefaultsReadAsBefore() throws {
        // A peer that predates the FLOW fields sends none of them: they read as 0 / false.
        let old = WireMessage(requestID: "r", body: .step(StepActivations(stepID: 1, slots: [
            RowSlot(sequenceID: "s", row: 0, tokenCount: 3, position: 5)], newSequences: [Samples.textSpec])))
        let decoded = try WireMessage(frames: try old.encodedFrames())
        guard case .step(let step) = decoded.body else { Issue.record("not a step"); return }
        #expect(step.slots[0].firstPosition == 0)
        #expect(step.newSequences[0].flowSteps == 0 && step.newSequences[0].latentSize == 0)
    }

    @Test func framesFollowTheTensorOrder() throws {
        let message = Samples.messageWithEveryDType()
        let frames = try message.encodedFrames()
        #expect(frames.count == 1 + DType.allCases.count)
        for (index, named) in message.tensors.enumerated() {
            #expect(frames[index + 1] == Data(named.tensor.rawBytes))
        }
        #expect(try WireMessage(frames: frames).tensors.map(\.name) == message.tensors.map(\.name))
    }

    @Test func deadlineAsDate() {
        var header = WireHeader(requestID: "r", body: .ack(Ack()))
        #expect(header.deadline == nil)
        header.deadline = Date(timeIntervalSince1970: 1_700_000_000.1239)
        #expect(header.deadlineMilliseconds == 1_700_000_000_123)
        #expect(header.deadline == Date(timeIntervalSince1970: 1_700_000_000.123))
        header.deadline = nil
        #expect(header.deadlineMilliseconds == 0)
    }

    @Test func extremeScalarsSurvive() throws {
        let body = WireBody.statusReply(StatusReply(
            processes: [ProcessStatus(load: .max, lastSeenMillisecondsAgo: .max)],
            classes: [ClassStatus(completed: .max, p50Milliseconds: -0.0, p90Milliseconds: .infinity,
                                  p99Milliseconds: .leastNonzeroMagnitude)]))
        let message = WireMessage(header: WireHeader(requestID: String(repeating: "é", count: 64),
                                                     deadlineMilliseconds: .max, body: body))
        #expect(try WireMessage(frames: message.encodedFrames()).header == message.header)
    }
}

/// What the encoder refuses: everything a receiver would refuse about the tensors and the
/// request id, reported to the sender as INVALID_ARGUMENT.
@Suite struct EncodingErrorTests {
    private func encodingError(_ message: WireMessage) -> WireError? {
        do {
            _ = try message.encodedFrames()
            return nil
        } catch {
            return error
        }
    }

    @Test func emptyRequestID() {
        let error = encodingError(WireMessage(requestID: "", body: .ack(Ack())))
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "cannot encode ack message: request_id is empty")
    }

    @Test func overlongRequestID() {
        let error = encodingError(WireMessage(requestID: String(repeating: "x", count: 129), body: .ack(Ack())))
        #expect(error?.message.contains("request_id has 129 bytes; the limit is 128") == true)
    }

    @Test func duplicateAndEmptyTensorNames() {
        let tensor = Tensor(zeros: [2])
        let duplicate = encodingError(WireMessage(requestID: "r", body: .ack(Ack()), tensors: ["a": tensor, "a": tensor]))
        #expect(duplicate?.message.contains("tensors[0] and tensors[1] are both named 'a'") == true)
        let empty = encodingError(WireMessage(requestID: "r", body: .ack(Ack()), tensors: ["": tensor]))
        #expect(empty?.message.contains("tensors[0] has an empty name") == true)
    }

    @Test func tooManyDimensions() {
        let error = encodingError(WireMessage(requestID: "r", body: .ack(Ack()),
                                              tensors: ["deep": Tensor(zeros: Array(repeating: 1, count: 9))]))
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("tensor 'deep' has 9 dimensions; the limit is 8") == true)
    }

    @Test func stringWithNUL() {
        let error = encodingError(WireMessage(requestID: "r", body: .text(TextDelta(text: "a\u{0}b"))))
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("TextDelta.text contains a NUL byte") == true)
    }

    @Test func headerOverTheLimit() {
        var limits = WireLimits()
        limits.maxHeaderBytes = 100
        let message = WireMessage(requestID: "r", body: .text(TextDelta(text: String(repeating: "z", count: 200))))
        #expect(throws: WireError.self) { try message.encodedFrames(limits: limits) }
        #expect((try? message.encodedFrames()) != nil)
    }
}
