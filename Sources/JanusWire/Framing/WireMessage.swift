import JanusTensor

/// One protocol message: a header and the tensors carried in the frames after it.
///
/// The order of `tensors` is the order of the frames. Tensors are sent without a copy
/// (see `ZMQSocket.send`); received tensors live in fresh, 64-byte aligned storage.
public struct WireMessage: Sendable {
    public var header: WireHeader
    public var tensors: [NamedTensor]

    public init(header: WireHeader, tensors: [NamedTensor] = []) {
        self.header = header
        self.tensors = tensors
    }

    /// `tensors` is ordered and written like a dictionary literal:
    /// `["hidden": hidden, "positions": positions]`.
    public init(requestID: String, deadlineMilliseconds: UInt64 = 0, body: WireBody,
                tensors: KeyValuePairs<String, Tensor> = [:]) {
        self.init(header: WireHeader(requestID: requestID, deadlineMilliseconds: deadlineMilliseconds, body: body),
                  tensors: tensors.map { NamedTensor(name: $0.key, tensor: $0.value) })
    }

    public var body: WireBody { header.body }
    public var requestID: String { header.requestID }

    /// The tensor called `name`, if the message has one.
    public func tensor(named name: String) -> Tensor? {
        tensors.first { $0.name == name }?.tensor
    }

    /// The tensor a body requires, checked for the services: a missing tensor makes the
    /// message MALFORMED (it breaks its body's contract); one of the wrong dtype or rank
    /// is an INVALID_ARGUMENT. Errors name the body, the tensor and what was expected.
    public func tensor(named name: String, dtype: DType, rank: Int? = nil) throws(WireError) -> Tensor {
        guard let tensor = tensor(named: name) else {
            let present = tensors.map { quoted($0.name) }.joined(separator: ", ")
            throw WireError(.malformed,
                            "\(body.fieldName) message has no tensor \(quoted(name))"
                                + (present.isEmpty ? " (it has no tensors)" : " (it has \(present))"),
                            requestID: requestID)
        }
        guard tensor.dtype == dtype else {
            throw WireError(.invalidArgument,
                            "tensor \(quoted(name)) of the \(body.fieldName) message is \(tensor.dtype), expected \(dtype)",
                            requestID: requestID)
        }
        if let rank, tensor.rank != rank {
            throw WireError(.invalidArgument,
                            "tensor \(quoted(name)) of the \(body.fieldName) message has shape \(tensor.shape) "
                                + "(rank \(tensor.rank)), expected rank \(rank)",
                            requestID: requestID)
        }
        return tensor
    }
}

/// A tensor with the name it travels under.
public struct NamedTensor: Sendable {
    public var name: String
    public var tensor: Tensor

    public init(name: String, tensor: Tensor) {
        self.name = name
        self.tensor = tensor
    }
}
