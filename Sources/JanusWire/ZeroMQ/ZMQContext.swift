import CZeroMQ
import Foundation

/// The ZeroMQ context: one per process, owning ZeroMQ's I/O threads.
///
/// libzmq contexts are thread-safe, so this type is `Sendable`. Every socket keeps its
/// context alive; the context is terminated when the last reference (the owner's and
/// the sockets') goes away, which is after every socket was closed.
public final class ZMQContext: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer

    public init(ioThreads: Int32 = 1) throws(ZMQError) {
        guard let handle = zmq_ctx_new() else { throw .last("zmq_ctx_new") }
        if zmq_ctx_set(handle, ZMQ_IO_THREADS, ioThreads) != 0 {
            let error = ZMQError.last("set \(ioThreads) I/O threads")
            zmq_ctx_term(handle)
            throw error
        }
        self.handle = handle
    }

    deinit {
        // zmq_ctx_term may be interrupted by a signal; it is then simply called again.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// A new socket of `type`, with `options` applied (see `ZMQSocket`).
    public func socket(_ type: ZMQSocketType, options: [ZMQSocketOption] = []) throws(ZMQError) -> ZMQSocket {
        try ZMQSocket(type: type, context: self, options: options)
    }
}
