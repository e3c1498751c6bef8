/// A generation request that cannot run, with what is wrong.
public enum GenerationError: Error, CustomStringConvertible, Equatable {
    case invalidOption(String)
    case invalidPrompt(String)

    public var description: String {
        switch self {
        case .invalidOption(let message): "invalid option: \(message)"
        case .invalidPrompt(let message): "invalid prompt: \(message)"
        }
    }
}
