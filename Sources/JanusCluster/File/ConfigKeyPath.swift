/// Where a value sits in a cluster file, spelled the way users write it:
/// `stages[1].layers`, `policy.understanding_share`.
public struct ConfigKeyPath: Hashable, Sendable, CustomStringConvertible {
    public enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    public let components: [Component]

    public init(_ components: [Component] = []) {
        self.components = components
    }

    public static let root = ConfigKeyPath()

    public func appending(_ key: String) -> ConfigKeyPath {
        ConfigKeyPath(components + [.key(key)])
    }

    public func appending(index: Int) -> ConfigKeyPath {
        ConfigKeyPath(components + [.index(index)])
    }

    /// The path without its last component (the root stays the root).
    public var parent: ConfigKeyPath {
        ConfigKeyPath(Array(components.dropLast()))
    }

    public var isRoot: Bool { components.isEmpty }

    public var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}
