import Foundation
import JanusTensor

/// A message ready for a transport: the packed header (frame 0) and the tensors whose
/// bytes are frames 1… in order.
struct EncodedMessage {
    var header: Data
    var tensors: [Tensor]
}

extension WireMessage {
    /// Derives the `TensorRef`s from `tensors` (frame i + 1 for tensor i) and packs the
    /// header. The result is checked with the receiver's rules (`limits`), so a sender
    /// learns about an empty request id or a duplicate tensor name here, as an
    /// INVALID_ARGUMENT, rather than from the peer. `header.version` is sent as given.
    func encoded(limits: WireLimits = .default) throws(WireError) -> EncodedMessage {
        let references = tensors.enumerated().map { index, named in
            TensorReference(name: named.name, dtypeNumber: named.tensor.dtype.wireNumber,
                            shape: named.tensor.shape.map { UInt64($0) }, frame: UInt32(index + 1))
        }
        do throws(WireError) {
            guard !header.requestID.isEmpty else { throw .malformed("request_id is empty") }
            guard header.requestID.utf8.count <= limits.maxRequestIDBytes else {
                throw .malformed("request_id has \(header.requestID.utf8.count) bytes; "
                                    + "the limit is \(limits.maxRequestIDBytes)")
            }
            _ = try checkTensorLayout(references, frameByteCounts: [0] + tensors.map(\.tensor.byteCount),
                                      limits: limits)
            let packed = try HeaderFrame.pack(header, references: references)
            guard packed.count <= limits.maxHeaderBytes else {
                throw .malformed("header would have \(packed.count) bytes; the limit is \(limits.maxHeaderBytes)")
            }
            return EncodedMessage(header: Data(packed), tensors: tensors.map(\.tensor))
        } catch {
            throw WireError(.invalidArgument, "cannot encode \(header.body.fieldName) message: \(error.message)",
                            requestID: header.requestID.isEmpty ? nil : header.requestID)
        }
    }

    /// Every frame as bytes, tensors copied. For tests and tools; `ZMQSocket.send` sends
    /// the tensors without copying them.
    public func encodedFrames(limits: WireLimits = .default) throws(WireError) -> [Data] {
        let encoded = try encoded(limits: limits)
        return [encoded.header] + encoded.tensors.map { Data($0.rawBytes) }
    }
}
