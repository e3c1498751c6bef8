import CZeroMQ

/// A ZeroMQ call failed: which operation, the errno, and `zmq_strerror`'s explanation
/// (or ours, when the wrapper refuses something before calling ZeroMQ).
public struct ZMQError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was attempted, e.g. "bind tcp://127.0.0.1:5555".
    public var operation: String
    /// The errno value (EAGAIN, EHOSTUNREACH, ETERM, EINVAL, …).
    public var errorNumber: Int32
    public var reason: String

    public init(operation: String, errorNumber: Int32, reason: String) {
        self.operation = operation
        self.errorNumber = errorNumber
        self.reason = reason
    }

    /// The error of the ZeroMQ call that just failed on this thread.
    static func last(_ operation: String) -> ZMQError {
        code(zmq_errno(), operation)
    }

    static func code(_ errorNumber: Int32, _ operation: String) -> ZMQError {
        ZMQError(operation: operation, errorNumber: errorNumber, reason: String(cString: zmq_strerror(errorNumber)))
    }

    public var description: String { "\(operation): \(reason)" }
}
