import Foundation
import JanusTensor

extension WireMessage {
    /// Decodes one multipart message (frame 0 = header, frames 1… = tensors), checking
    /// everything before anything is used; see `WireLimits` and `checkTensorLayout`.
    ///
    /// Tensors are copied into fresh 64-byte aligned storage: ZeroMQ frame data has no
    /// alignment guarantee, and the kernels need it. Errors after the request id was read
    /// carry it (`WireError.requestID`), so the reply can name the request.
    public init(frames: [Data], limits: WireLimits = .default) throws(WireError) {
        guard let headerFrame = frames.first else {
            throw .malformed("empty multipart message: there is no header frame")
        }
        guard frames.count - 1 <= limits.maxTensors else {
            throw .malformed("message has \(frames.count - 1) tensor frames; the limit is \(limits.maxTensors)")
        }
        let (header, references) = try headerFrame.withBytes { (bytes) throws(WireError) in
            try HeaderFrame.unpack(bytes, limits: limits)
        }
        do throws(WireError) {
            let layouts = try checkTensorLayout(references, frameByteCounts: frames.map(\.count), limits: limits)
            let tensors = layouts.map { layout in
                let storage = frames[layout.frame].withUnsafeBytes { TensorStorage(copying: $0) }
                return NamedTensor(name: layout.name,
                                   tensor: Tensor(storage: storage, dtype: layout.dtype, shape: layout.shape))
            }
            self.init(header: header, tensors: tensors)
        } catch {
            throw WireError(error.code, error.message, requestID: header.requestID)
        }
    }
}

extension Data {
    /// `withUnsafeBytes` for a body that throws `WireError`: Foundation's version is
    /// `rethrows`, which erases typed errors.
    func withBytes<Result>(
        _ body: (UnsafeRawBufferPointer) throws(WireError) -> Result
    ) throws(WireError) -> Result {
        let outcome = withUnsafeBytes { bytes in
            Swift.Result { () throws(WireError) -> Result in try body(bytes) }
        }
        return try outcome.get()
    }
}
