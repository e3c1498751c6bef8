import CJanusWire
import Foundation
@testable import JanusWire

/// A header as a broken or hostile peer might send it, built with the protobuf-c structs
/// directly so that none of the encoder's checks apply.
struct RawHeader {
    var version: UInt32 = currentProtocolVersion
    var requestID: [UInt8] = Array("req-1".utf8)
    var body: WireBody? = .ack(Ack())
    var tensors: [TensorReference] = []
    /// Last changes to the C struct before packing (unknown enum numbers, bad UTF-8…).
    var edit: (UnsafeMutablePointer<CHeader>, CArena) -> Void = { _, _ in }
    /// Raw protobuf bytes appended to the packed header (e.g. fields this version lacks).
    var trailingBytes: [UInt8] = []

    func packed() throws -> Data {
        let bytes = try CArena.with { (arena) throws(WireError) -> [UInt8] in
            let header = arena.allocate(CHeader.self)
            janus__wire__v1__header__init(header)
            header.pointee.version = version
            header.pointee.request_id = arena.rawString(requestID)
            header.pointee.n_tensors = tensors.count
            header.pointee.tensors = try arena.messages(tensors)
            try body?.write(to: &header.pointee, arena: arena)
            edit(header, arena)
            var packed = [UInt8](repeating: 0, count: janus__wire__v1__header__get_packed_size(header))
            _ = janus__wire__v1__header__pack(header, &packed)
            return packed
        }
        return Data(bytes + trailingBytes)
    }

    /// The header followed by `tensorFrames`.
    func frames(_ tensorFrames: [Data] = []) throws -> [Data] {
        [try packed()] + tensorFrames
    }
}

extension CArena {
    /// A C string holding exactly `bytes` (which need not be UTF-8).
    func rawString(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
        let pointer = allocate(CChar.self, count: bytes.count + 1)
        for (index, byte) in bytes.enumerated() { pointer[index] = CChar(bitPattern: byte) }
        pointer[bytes.count] = 0
        return pointer
    }
}

func reference(_ name: String, _ dtype: UInt32, _ shape: [UInt64], frame: UInt32) -> TensorReference {
    TensorReference(name: name, dtypeNumber: dtype, shape: shape, frame: frame)
}

let f32Number: UInt32 = 1
let u8Number: UInt32 = 7
