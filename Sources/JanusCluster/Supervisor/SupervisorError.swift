public enum SupervisorError: Error, Sendable, Equatable, CustomStringConvertible {
    case duplicateName(String)
    case cannotOpenLog(String, reason: String)
    case cannotStart(name: String, reason: String)

    public var description: String {
        switch self {
        case .duplicateName(let name): "two processes are named \"\(name)\""
        case .cannotOpenLog(let path, let reason): "cannot open log \(path): \(reason)"
        case .cannotStart(let name, let reason): "cannot start \(name): \(reason)"
        }
    }
}
