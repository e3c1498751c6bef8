/// The `oneof body` of a header: exactly one per message.
public enum WireBody: Sendable, Equatable {
    // Any process.
    case hello(Hello)
    case heartbeat(Heartbeat)
    case error(ErrorReply)
    case ack(Ack)

    // Router <-> encoder / decoder.
    case encodeRequest(EncodeRequest)
    case encodeResult(EncodeResult)
    case decodeRequest(DecodeRequest)
    case decodeResult(DecodeResult)

    // The pipeline.
    case submitSequence(SubmitSequence)
    case step(StepActivations)
    case sampled(SampledTokens)
    case sequenceEvent(SequenceEvent)
    case release(ReleaseSequence)

    // Client <-> router.
    case generate(GenerateRequest)
    case ask(AskRequest)
    case progress(ProgressUpdate)
    case image(ImageResult)
    case text(TextDelta)
    case done(Done)
    case statusRequest(StatusRequest)
    case statusReply(StatusReply)
    case drain(DrainRequest)
    case cancel(Cancel)

    /// The field name in `proto/janus.proto`, for logs and error messages.
    public var fieldName: String {
        switch self {
        case .hello: "hello"
        case .heartbeat: "heartbeat"
        case .error: "error"
        case .ack: "ack"
        case .encodeRequest: "encode_request"
        case .encodeResult: "encode_result"
        case .decodeRequest: "decode_request"
        case .decodeResult: "decode_result"
        case .submitSequence: "submit_sequence"
        case .step: "step"
        case .sampled: "sampled"
        case .sequenceEvent: "sequence_event"
        case .release: "release"
        case .generate: "generate"
        case .ask: "ask"
        case .progress: "progress"
        case .image: "image"
        case .text: "text"
        case .done: "done"
        case .statusRequest: "status_request"
        case .statusReply: "status_reply"
        case .drain: "drain"
        case .cancel: "cancel"
        }
    }
}
