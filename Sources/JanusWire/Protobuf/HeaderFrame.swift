import CJanusWire
import JanusTensor

/// A `TensorRef` as it travels in the header. Received ones are unchecked until
/// `checkTensorLayout` has compared them with the limits and the frames.
struct TensorReference: ProtobufMessage {
    var name: String
    /// The `janus.wire.v1.DType` number, kept raw so that an unknown one can be reported
    /// with the tensor's name.
    var dtypeNumber: UInt32
    var shape: [UInt64]
    var frame: UInt32

    init(name: String, dtypeNumber: UInt32, shape: [UInt64], frame: UInt32) {
        self.name = name
        self.dtypeNumber = dtypeNumber
        self.shape = shape
        self.frame = frame
    }

    static func initialize(_ message: UnsafeMutablePointer<Janus__Wire__V1__TensorRef>) {
        janus__wire__v1__tensor_ref__init(message)
    }

    func write(to message: inout Janus__Wire__V1__TensorRef, arena: CArena) throws(WireError) {
        message.name = try arena.string(name, field: "TensorRef.name")
        message.dtype = .init(rawValue: dtypeNumber)
        message.n_shape = shape.count
        message.shape = arena.array(shape)
        message.frame = frame
    }

    init(reading message: Janus__Wire__V1__TensorRef, path: String) throws(WireError) {
        self.init(name: try readString(message.name, "\(path).name"),
                  dtypeNumber: message.dtype.rawValue,
                  shape: readScalars(message.n_shape, message.shape),
                  frame: message.frame)
    }
}

/// Frame 0: the protobuf `Header`, packed and unpacked with protobuf-c.
enum HeaderFrame {
    static func pack(_ header: WireHeader, references: [TensorReference]) throws(WireError) -> [UInt8] {
        try CArena.with { (arena) throws(WireError) -> [UInt8] in
            let message = arena.allocate(Janus__Wire__V1__Header.self)
            janus__wire__v1__header__init(message)
            message.pointee.version = header.version
            message.pointee.request_id = try arena.string(header.requestID, field: "Header.request_id")
            message.pointee.deadline_ms = header.deadlineMilliseconds
            message.pointee.n_tensors = references.count
            message.pointee.tensors = try arena.messages(references)
            try header.body.write(to: &message.pointee, arena: arena)
            let size = janus__wire__v1__header__get_packed_size(message)
            return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                count = buffer.baseAddress.map { janus__wire__v1__header__pack(message, $0) } ?? 0
            }
        }
    }

    /// Unpacks and checks a header in the order that makes errors most useful: the
    /// version first (a newer peer gets UNSUPPORTED_VERSION, not a complaint about a field
    /// it changed), then the request id (so that later errors can echo it), then the body
    /// and the tensor references.
    static func unpack(_ bytes: UnsafeRawBufferPointer,
                       limits: WireLimits) throws(WireError) -> (header: WireHeader, references: [TensorReference]) {
        guard bytes.count <= limits.maxHeaderBytes else {
            throw .malformed("header frame has \(bytes.count) bytes; the limit is \(limits.maxHeaderBytes)")
        }
        let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard let unpacked = janus__wire__v1__header__unpack(nil, bytes.count, start) else {
            throw .malformed("header frame (\(bytes.count) bytes) is not a valid janus.wire.v1.Header")
        }
        defer { janus__wire__v1__header__free_unpacked(unpacked, nil) }
        let message = unpacked.pointee

        guard message.version == currentProtocolVersion else {
            throw WireError(.unsupportedVersion, "protocol version \(message.version) is not supported "
                                + "(this process speaks version \(currentProtocolVersion))")
        }
        let requestID = try readString(message.request_id, "request_id")
        guard !requestID.isEmpty else { throw .malformed("request_id is empty") }
        guard requestID.utf8.count <= limits.maxRequestIDBytes else {
            throw .malformed("request_id has \(requestID.utf8.count) bytes; the limit is \(limits.maxRequestIDBytes)")
        }
        do throws(WireError) {
            let body = try WireBody(reading: message)
            let references: [TensorReference] = try readMessages(message.n_tensors, message.tensors, "tensors")
            let header = WireHeader(version: message.version, requestID: requestID,
                                    deadlineMilliseconds: message.deadline_ms, body: body)
            return (header, references)
        } catch {
            throw WireError(error.code, error.message, requestID: requestID)
        }
    }
}
