import Foundation
import JanusTestSupport
import JanusTensor
@testable import JanusWire

/// Values for round trips: every body case with every field away from its default, and
/// tensors of every dtype.
enum Samples {
    static let sampling = Sampling(temperature: 0.7, topK: 40, topP: 0.9, greedy: true, seed: 1_234_567_890_123)

    static let imageSpec = SequenceSpec(sequenceID: "seq-7", mode: .image, images: 2, cfgWeight: 5.5,
                                        sampling: sampling, maxTokens: 576, stopTokenIDs: [100_001, -3, 7],
                                        padID: 100_015, promptTokens: 33)
    static let textSpec = SequenceSpec(sequenceID: "seq-8", mode: .text, images: 1, cfgWeight: 1,
                                       sampling: Sampling(temperature: 1, topK: 1, topP: 1, greedy: false, seed: 9),
                                       maxTokens: 64, stopTokenIDs: [100_001], padID: 1, promptTokens: 612)

    static let flowSpec = SequenceSpec(sequenceID: "seq-9", mode: .flow, images: 3, cfgWeight: 2,
                                       sampling: Sampling(seed: 42), maxTokens: 576, padID: 100_015, promptTokens: 40,
                                       flowSteps: 30, latentChannels: 4, latentSize: 48)

    static let tokens = SequenceTokens(sequenceID: "seq-7", tokens: [5, 6, .max, .min], finished: true,
                                       finishReason: "max_tokens")

    /// Every `oneof body` entry at least once (`Hello` twice: with and without a stage).
    static let everyBody: [WireBody] = [
        .hello(Hello(role: .stage, name: "stage-1", node: "node-ä", capacity: 8,
                     stage: StageInfo(index: 1, count: 3, firstLayer: 8, endLayer: 16,
                                      dataEndpoint: "tcp://10.0.0.2:6001"))),
        .hello(Hello(role: .encoder, name: "encoder-0", node: "node-a", capacity: 2, stage: nil)),
        .heartbeat(Heartbeat(load: 3, queued: 12)),
        .error(ErrorReply(code: .overloaded, message: "queue full 🚦", origin: "router")),
        .ack(Ack()),
        .encodeRequest(EncodeRequest()),
        .encodeResult(EncodeResult()),
        .decodeRequest(DecodeRequest(gridHeight: 24, gridWidth: 16)),
        .decodeResult(DecodeResult()),
        .submitSequence(SubmitSequence(spec: imageSpec)),
        .step(StepActivations(stepID: .max - 1,
                              slots: [RowSlot(sequenceID: "seq-7", row: 3, tokenCount: 1, position: 40),
                                      RowSlot(sequenceID: "seq-8", row: 0, tokenCount: 612, position: 0),
                                      RowSlot(sequenceID: "seq-9", row: 4, tokenCount: 577, position: 1,
                                              firstPosition: 39)],
                              newSequences: [imageSpec, textSpec, flowSpec])),
        .sampled(SampledTokens(stepID: 99, sequences: [tokens, SequenceTokens(sequenceID: "seq-8", tokens: [1])])),
        .sequenceEvent(SequenceEvent(tokens: tokens, step: 575)),
        .release(ReleaseSequence(sequenceID: "seq-7", reason: "cancelled")),
        .generate(GenerateRequest(prompt: "a red fox, 日本語", count: 4, cfgWeight: 5, sampling: sampling,
                                  imageSize: 384, steps: 12, defaultCFG: true)),
        .ask(AskRequest(question: "<image_placeholder>\nWhat is this?", maxNewTokens: 64, sampling: sampling)),
        .progress(ProgressUpdate(phase: "generating", done: 100, total: 576)),
        .image(ImageResult(index: 3)),
        .text(TextDelta(text: "Hello, wörld")),
        .done(Done(text: "It is a fox.", tokenIDs: [1, 2, 3], stopReason: "eos", promptTokens: 612)),
        .statusRequest(StatusRequest()),
        .statusReply(StatusReply(
            processes: [ProcessStatus(name: "stage-0", role: .stage, node: "node-a", healthy: true, draining: true,
                                      load: 5, lastSeenMillisecondsAgo: 1234),
                        ProcessStatus(name: "router", role: .router, node: "node-b")],
            classes: [ClassStatus(name: "generate", queued: 1, inFlight: 2, completed: 300, failed: 4,
                                  p50Milliseconds: 1.5, p90Milliseconds: 20.25, p99Milliseconds: 99.125)])),
        .drain(DrainRequest(node: "node-b")),
        .cancel(Cancel()),
    ]

    /// A tensor of `dtype` whose bytes follow a seeded pattern (any bit pattern is fine:
    /// the wire never interprets them).
    static func tensor(_ shape: [Int], _ dtype: DType, seed: UInt64) -> Tensor {
        let tensor = Tensor(zeros: shape, dtype: dtype)
        var generator = SeededGenerator(seed: seed)
        let bytes = UnsafeMutableRawBufferPointer(start: tensor.storage.baseAddress, count: tensor.byteCount)
        // Whole words at a time (fast enough for 64 MiB in a debug build), then the tail.
        let words = bytes.count / 8
        let wordBuffer = bytes.baseAddress.map { UnsafeMutableBufferPointer(start: $0.assumingMemoryBound(to: UInt64.self), count: words) }
        for index in 0..<words { wordBuffer?[index] = generator.next() }
        for index in (words * 8)..<bytes.count { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        return tensor
    }

    /// A message with a body and one small tensor of every dtype.
    static func messageWithEveryDType(requestID: String = "req-1") -> WireMessage {
        let tensors = DType.allCases.enumerated().map { index, dtype in
            NamedTensor(name: "t.\(dtype)", tensor: tensor([2, 3], dtype, seed: UInt64(index)))
        }
        return WireMessage(header: WireHeader(requestID: requestID, deadlineMilliseconds: 1_700_000_000_123,
                                              body: everyBody[10]),
                           tensors: tensors)
    }
}


/// Compares what a round trip must preserve: names, order, dtypes, shapes and bytes.
func sameTensors(_ lhs: [NamedTensor], _ rhs: [NamedTensor]) -> Bool {
    lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { left, right in
        left.name == right.name && left.tensor.dtype == right.tensor.dtype && left.tensor.shape == right.tensor.shape
            && sameBytes(left.tensor, right.tensor)
    }
}

/// Whether two tensors hold the same bytes. Taking the tensors (not their `rawBytes`)
/// keeps their storage alive while the bytes are compared.
func sameBytes(_ lhs: Tensor, _ rhs: Tensor) -> Bool {
    withExtendedLifetime((lhs, rhs)) { sameBytes(lhs.rawBytes, rhs.rawBytes) }
}

/// Byte equality with memcmp: element-wise comparison of 64 MiB is slow in debug builds.
func sameBytes(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
    guard lhs.count == rhs.count else { return false }
    guard lhs.count > 0, let left = lhs.baseAddress, let right = rhs.baseAddress else { return true }
    return memcmp(left, right, lhs.count) == 0
}
