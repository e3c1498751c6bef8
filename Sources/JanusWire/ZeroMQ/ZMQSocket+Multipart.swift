import CZeroMQ
import Foundation
import JanusTensor

/// One frame to send.
enum OutgoingFrame {
    /// Copied into ZeroMQ's own buffer (headers, routing ids).
    case bytes(Data)
    /// Sent from the tensor's storage without a copy when large enough to be worth it.
    case tensor(Tensor)
}

/// Tensors below this size are copied: for them ZeroMQ's reference-counted content
/// block and the release callback cost more than the copy.
let zeroCopyThreshold = 1024

extension ZMQSocket {
    /// Sends `frames` as one multipart message (copying them). Blocks while the peer's
    /// queue is full (DEALER, PUSH) unless `dontWait`, which then throws EAGAIN.
    public func sendMultipart(_ frames: [Data], dontWait: Bool = false) throws(ZMQError) {
        try send(frames.map(OutgoingFrame.bytes), dontWait: dontWait)
    }

    func send(_ frames: [OutgoingFrame], dontWait: Bool) throws(ZMQError) {
        let handle = try openHandle("send")
        guard !frames.isEmpty else {
            throw ZMQError(operation: "send", errorNumber: EINVAL, reason: "a message needs at least one frame")
        }
        // Every frame is prepared before the first is sent, so that a failure to prepare
        // one can never leave half a message queued. On the heap: a zmq_msg_t must not
        // move while ZeroMQ works on it.
        let messages = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: frames.count)
        defer { messages.deallocate() }
        for (index, frame) in frames.enumerated() {
            do {
                try frame.initialize(messages + index)
            } catch {
                for prepared in 0..<index { zmq_msg_close(messages + prepared) }
                throw error
            }
        }
        for index in frames.indices {
            var flags = index < frames.count - 1 ? ZMQ_SNDMORE : 0
            if dontWait { flags |= ZMQ_DONTWAIT }
            // Once the first frame is queued ZeroMQ takes the rest of the message without
            // blocking, so only the first can fail with EAGAIN; later failures (ETERM,
            // ENOTSOCK) mean the socket is going away.
            while zmq_msg_send(messages + index, handle, flags) == -1 {
                let errorNumber = zmq_errno()
                if errorNumber == EINTR { continue }
                // Closing the unsent frames releases any zero-copy tensor storage.
                for unsent in index..<frames.count { zmq_msg_close(messages + unsent) }
                throw .code(errorNumber, "send frame \(index) of \(frames.count)")
            }
        }
    }

    /// The next whole multipart message, or nil if none arrived within
    /// `timeoutMilliseconds` (nil waits forever, 0 only looks). Large frames are not
    /// copied: the returned `Data` owns ZeroMQ's buffer.
    public func receiveMultipart(timeoutMilliseconds: Int? = nil) throws(ZMQError) -> [Data]? {
        let handle = try openHandle("receive")
        if let timeoutMilliseconds {
            guard try ZMQSocket.poll([self], timeoutMilliseconds: timeoutMilliseconds) != nil else { return nil }
        }
        var frames: [Data] = []
        var more = true
        while more {
            let message = UnsafeMutablePointer<zmq_msg_t>.allocate(capacity: 1)
            zmq_msg_init(message)
            // After a poll the message is known to be there: never block on it. ZeroMQ
            // delivers multipart messages whole, so later frames never block either.
            let flags = frames.isEmpty && timeoutMilliseconds != nil ? ZMQ_DONTWAIT : 0
            while zmq_msg_recv(message, handle, flags) == -1 {
                let errorNumber = zmq_errno()
                if errorNumber == EINTR { continue }
                zmq_msg_close(message)
                message.deallocate()
                if errorNumber == EAGAIN && frames.isEmpty { return nil }
                throw .code(errorNumber, "receive frame \(frames.count)")
            }
            more = zmq_msg_more(message) != 0
            frames.append(Data(takingZMQMessage: message))
        }
        return frames
    }

    /// Waits until at least one of `sockets` has a message to read and returns their
    /// indices, or nil when `timeoutMilliseconds` passed first (nil waits forever).
    public static func poll(_ sockets: [ZMQSocket], timeoutMilliseconds: Int?) throws(ZMQError) -> [Int]? {
        var items: [zmq_pollitem_t] = []
        for socket in sockets {
            items.append(zmq_pollitem_t(socket: try socket.openHandle("poll"), fd: 0,
                                        events: Int16(ZMQ_POLLIN), revents: 0))
        }
        let clock = ContinuousClock()
        let deadline = timeoutMilliseconds.map { clock.now + .milliseconds(max($0, 0)) }
        while true {
            // A signal interrupts zmq_poll; the wait then resumes for the time left.
            var timeout = -1
            if let deadline {
                let left = clock.now.duration(to: deadline).components
                timeout = max(0, Int(left.seconds) * 1000 + Int(left.attoseconds / 1_000_000_000_000_000))
            }
            let ready = zmq_poll(&items, Int32(items.count), timeout)
            if ready == -1 {
                let errorNumber = zmq_errno()
                if errorNumber == EINTR { continue }
                throw .code(errorNumber, "poll \(sockets.count) sockets")
            }
            if ready == 0 { return nil }
            return items.indices.filter { items[$0].revents & Int16(ZMQ_POLLIN) != 0 }
        }
    }
}

extension OutgoingFrame {
    /// Initialises `message` with this frame's bytes.
    func initialize(_ message: UnsafeMutablePointer<zmq_msg_t>) throws(ZMQError) {
        switch self {
        case .bytes(let data):
            try data.withUnsafeBytes { copy($0, into: message) }.get()
        case .tensor(let tensor) where tensor.byteCount < zeroCopyThreshold:
            try copy(tensor.rawBytes, into: message).get()
        case .tensor(let tensor):
            // ZeroMQ reads the tensor's memory until it calls `releaseRetainedStorage`,
            // possibly long after `send` returned: hold a reference to the storage until
            // then. The sender must not modify the tensor meanwhile.
            let retained = Unmanaged.passRetained(tensor.storage).toOpaque()
            let start = UnsafeMutableRawPointer(mutating: tensor.baseAddress)
            guard zmq_msg_init_data(message, start, tensor.byteCount, releaseRetainedStorage, retained) == 0 else {
                Unmanaged<TensorStorage>.fromOpaque(retained).release()
                throw .last("wrap a \(tensor.byteCount)-byte tensor for sending")
            }
        }
    }
}

private func copy(_ bytes: UnsafeRawBufferPointer,
                  into message: UnsafeMutablePointer<zmq_msg_t>) -> Result<Void, ZMQError> {
    guard zmq_msg_init_size(message, bytes.count) == 0 else {
        return .failure(.last("allocate a \(bytes.count)-byte frame"))
    }
    if let source = bytes.baseAddress, bytes.count > 0, let destination = zmq_msg_data(message) {
        destination.copyMemory(from: source, byteCount: bytes.count)
    }
    return .success(())
}

/// ZeroMQ's free callback for zero-copy frames, called (on a ZeroMQ I/O thread, or in
/// `zmq_msg_close`) once it no longer needs the bytes: drops the reference `send` took.
private func releaseRetainedStorage(_ data: UnsafeMutableRawPointer?, _ hint: UnsafeMutableRawPointer?) {
    guard let hint else { return }
    Unmanaged<TensorStorage>.fromOpaque(hint).release()
}

/// Received frames up to this size are copied into the `Data` and their ZeroMQ message
/// closed at once; larger ones are wrapped without a copy.
private let receiveCopyThreshold = 256

extension Data {
    /// Takes ownership of a received `zmq_msg_t` (heap-allocated by the caller).
    init(takingZMQMessage message: UnsafeMutablePointer<zmq_msg_t>) {
        let size = zmq_msg_size(message)
        guard size > receiveCopyThreshold, let start = zmq_msg_data(message) else {
            let start = zmq_msg_data(message)
            self = start.map { Data(bytes: $0, count: size) } ?? Data()
            zmq_msg_close(message)
            message.deallocate()
            return
        }
        // The deallocator is @Sendable, and raw pointers are not: carry the address.
        let address = UInt(bitPattern: message)
        self = Data(bytesNoCopy: start, count: size, deallocator: .custom { _, _ in
            guard let message = UnsafeMutablePointer<zmq_msg_t>(bitPattern: address) else { return }
            zmq_msg_close(message)
            message.deallocate()
        })
    }
}
