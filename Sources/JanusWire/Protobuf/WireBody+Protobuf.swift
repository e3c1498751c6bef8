import CJanusWire

/// The generated header struct, whose name is long enough to crowd the mappings.
typealias CHeader = Janus__Wire__V1__Header

extension WireBody {
    /// Sets the header's `oneof body`: the case and the matching union member.
    func write(to header: inout CHeader, arena: CArena) throws(WireError) {
        func set<Value: ProtobufMessage>(
            _ bodyCase: Janus__Wire__V1__Header__BodyCase,
            _ field: WritableKeyPath<CHeader, UnsafeMutablePointer<Value.CMessage>?>, _ value: Value
        ) throws(WireError) {
            header[keyPath: field] = try arena.message(value)
            header.body_case = bodyCase
        }
        switch self {
        case .hello(let value): try set(JANUS__WIRE__V1__HEADER__BODY_HELLO, \.hello, value)
        case .heartbeat(let value): try set(JANUS__WIRE__V1__HEADER__BODY_HEARTBEAT, \.heartbeat, value)
        case .error(let value): try set(JANUS__WIRE__V1__HEADER__BODY_ERROR, \.error, value)
        case .ack(let value): try set(JANUS__WIRE__V1__HEADER__BODY_ACK, \.ack, value)
        case .encodeRequest(let value): try set(JANUS__WIRE__V1__HEADER__BODY_ENCODE_REQUEST, \.encode_request, value)
        case .encodeResult(let value): try set(JANUS__WIRE__V1__HEADER__BODY_ENCODE_RESULT, \.encode_result, value)
        case .decodeRequest(let value): try set(JANUS__WIRE__V1__HEADER__BODY_DECODE_REQUEST, \.decode_request, value)
        case .decodeResult(let value): try set(JANUS__WIRE__V1__HEADER__BODY_DECODE_RESULT, \.decode_result, value)
        case .submitSequence(let value):
            try set(JANUS__WIRE__V1__HEADER__BODY_SUBMIT_SEQUENCE, \.submit_sequence, value)
        case .step(let value): try set(JANUS__WIRE__V1__HEADER__BODY_STEP, \.step, value)
        case .sampled(let value): try set(JANUS__WIRE__V1__HEADER__BODY_SAMPLED, \.sampled, value)
        case .sequenceEvent(let value): try set(JANUS__WIRE__V1__HEADER__BODY_SEQUENCE_EVENT, \.sequence_event, value)
        case .release(let value): try set(JANUS__WIRE__V1__HEADER__BODY_RELEASE, \.release, value)
        case .generate(let value): try set(JANUS__WIRE__V1__HEADER__BODY_GENERATE, \.generate, value)
        case .ask(let value): try set(JANUS__WIRE__V1__HEADER__BODY_ASK, \.ask, value)
        case .progress(let value): try set(JANUS__WIRE__V1__HEADER__BODY_PROGRESS, \.progress, value)
        case .image(let value): try set(JANUS__WIRE__V1__HEADER__BODY_IMAGE, \.image, value)
        case .text(let value): try set(JANUS__WIRE__V1__HEADER__BODY_TEXT, \.text, value)
        case .done(let value): try set(JANUS__WIRE__V1__HEADER__BODY_DONE, \.done, value)
        case .statusRequest(let value): try set(JANUS__WIRE__V1__HEADER__BODY_STATUS_REQUEST, \.status_request, value)
        case .statusReply(let value): try set(JANUS__WIRE__V1__HEADER__BODY_STATUS_REPLY, \.status_reply, value)
        case .drain(let value): try set(JANUS__WIRE__V1__HEADER__BODY_DRAIN, \.drain, value)
        case .cancel(let value): try set(JANUS__WIRE__V1__HEADER__BODY_CANCEL, \.cancel, value)
        }
    }

    /// Reads the header's `oneof body`. A header without one, or with a body field this
    /// version does not know (protobuf-c keeps it as an unknown field and leaves the case
    /// unset), is MALFORMED.
    init(reading header: CHeader) throws(WireError) {
        func body<Value: ProtobufMessage>(_ pointer: UnsafeMutablePointer<Value.CMessage>?,
                                          _ name: String) throws(WireError) -> Value {
            guard let value: Value = try readOptional(pointer, name) else {
                throw .malformed("header says its body is \(name) but carries none")
            }
            return value
        }
        switch header.body_case {
        case JANUS__WIRE__V1__HEADER__BODY_HELLO: self = .hello(try body(header.hello, "hello"))
        case JANUS__WIRE__V1__HEADER__BODY_HEARTBEAT: self = .heartbeat(try body(header.heartbeat, "heartbeat"))
        case JANUS__WIRE__V1__HEADER__BODY_ERROR: self = .error(try body(header.error, "error"))
        case JANUS__WIRE__V1__HEADER__BODY_ACK: self = .ack(try body(header.ack, "ack"))
        case JANUS__WIRE__V1__HEADER__BODY_ENCODE_REQUEST:
            self = .encodeRequest(try body(header.encode_request, "encode_request"))
        case JANUS__WIRE__V1__HEADER__BODY_ENCODE_RESULT:
            self = .encodeResult(try body(header.encode_result, "encode_result"))
        case JANUS__WIRE__V1__HEADER__BODY_DECODE_REQUEST:
            self = .decodeRequest(try body(header.decode_request, "decode_request"))
        case JANUS__WIRE__V1__HEADER__BODY_DECODE_RESULT:
            self = .decodeResult(try body(header.decode_result, "decode_result"))
        case JANUS__WIRE__V1__HEADER__BODY_SUBMIT_SEQUENCE:
            self = .submitSequence(try body(header.submit_sequence, "submit_sequence"))
        case JANUS__WIRE__V1__HEADER__BODY_STEP: self = .step(try body(header.step, "step"))
        case JANUS__WIRE__V1__HEADER__BODY_SAMPLED: self = .sampled(try body(header.sampled, "sampled"))
        case JANUS__WIRE__V1__HEADER__BODY_SEQUENCE_EVENT:
            self = .sequenceEvent(try body(header.sequence_event, "sequence_event"))
        case JANUS__WIRE__V1__HEADER__BODY_RELEASE: self = .release(try body(header.release, "release"))
        case JANUS__WIRE__V1__HEADER__BODY_GENERATE: self = .generate(try body(header.generate, "generate"))
        case JANUS__WIRE__V1__HEADER__BODY_ASK: self = .ask(try body(header.ask, "ask"))
        case JANUS__WIRE__V1__HEADER__BODY_PROGRESS: self = .progress(try body(header.progress, "progress"))
        case JANUS__WIRE__V1__HEADER__BODY_IMAGE: self = .image(try body(header.image, "image"))
        case JANUS__WIRE__V1__HEADER__BODY_TEXT: self = .text(try body(header.text, "text"))
        case JANUS__WIRE__V1__HEADER__BODY_DONE: self = .done(try body(header.done, "done"))
        case JANUS__WIRE__V1__HEADER__BODY_STATUS_REQUEST:
            self = .statusRequest(try body(header.status_request, "status_request"))
        case JANUS__WIRE__V1__HEADER__BODY_STATUS_REPLY:
            self = .statusReply(try body(header.status_reply, "status_reply"))
        case JANUS__WIRE__V1__HEADER__BODY_DRAIN: self = .drain(try body(header.drain, "drain"))
        case JANUS__WIRE__V1__HEADER__BODY_CANCEL: self = .cancel(try body(header.cancel, "cancel"))
        default:
            throw .malformed("header has no body (none is set, or it is one this version does not know)")
        }
    }
}
