/// Everything that can go wrong while reading or writing a checkpoint, as a value that
/// says where: the file (or directory), the tensor when there is one, and why.
///
/// Checkpoints come from the internet; a malformed one must produce a message a user can
/// act on, never a crash.
public struct CheckpointError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file or directory the problem was found in, as the caller named it.
    public let file: String
    /// The tensor concerned, when the problem is about one tensor.
    public let key: String?
    public let reason: String

    public init(file: String, key: String? = nil, reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    public var description: String {
        if let key { return "\(file): tensor '\(key)': \(reason)" }
        return "\(file): \(reason)"
    }
}
