import Foundation
import JanusWire

extension ZMQSocket {
    /// Sends without ever blocking the worker's loop for long: a full queue (a slow or
    /// absent peer) is retried every few milliseconds, running `whileWaiting` (the
    /// heartbeat) in between, for up to `patienceMilliseconds`; then EAGAIN is thrown.
    func sendPatiently(_ message: WireMessage, patienceMilliseconds: Int,
                       whileWaiting: () -> Void = {}) throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(patienceMilliseconds)
        while true {
            do {
                try send(message, dontWait: true)
                return
            } catch let error as ZMQError where error.errorNumber == EAGAIN && clock.now < deadline {
                whileWaiting()
                Thread.sleep(forTimeInterval: 0.005)
            }
        }
    }
}

extension WireHeader {
    /// True when the header carries a deadline that has passed.
    var hasExpired: Bool {
        guard deadlineMilliseconds != 0 else { return false }
        return Date().timeIntervalSince1970 * 1000 >= Double(deadlineMilliseconds)
    }
}

extension WireBody {
    /// Requests that start work a passed deadline makes pointless (a `release` is
    /// honoured whatever its deadline).
    var startsWork: Bool {
        switch self {
        case .encodeRequest, .decodeRequest, .submitSequence: true
        default: false
        }
    }
}

extension WireError {
    /// `error` in the protocol's terms: a `WireError` as it is, a refusal of the models or
    /// engines (`VisionError`, `VQDecodeError`, `PipelineError`, …) as INVALID_ARGUMENT.
    /// Only what this module's own code throws reaches here, and all of it is about input.
    static func from(_ error: any Error, requestID: String) -> WireError {
        if var wire = error as? WireError {
            wire.requestID = wire.requestID ?? requestID
            return wire
        }
        return WireError(.invalidArgument, "\(error)", requestID: requestID)
    }
}
