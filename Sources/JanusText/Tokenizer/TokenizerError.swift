import Foundation

/// Everything that can go wrong while loading a tokenizer or building a prompt.
///
/// A server must survive a bad `tokenizer.json`, so every problem is reported as a thrown
/// error that names where it is: the file (when known), the pipeline stage
/// (`normalizer`, `pre_tokenizer`, `model`, `post_processor`, `decoder`, `added_tokens`)
/// and the component `type` from the JSON.
public struct TokenizerError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// The file could not be read at all.
        case unreadableFile
        /// The bytes are not JSON, or the JSON does not have the expected shape.
        case malformedJSON
        /// A component `type` this implementation does not know.
        case unsupportedType
        /// A known component with an invalid or unsupported setting.
        case invalidConfiguration
        /// A token that must exist (a merge part, a special token, a chat tag) is missing.
        case missingToken
    }

    public var kind: Kind
    /// The pipeline stage or config section, e.g. `pre_tokenizer`.
    public var stage: String?
    /// The component type named in the JSON, e.g. `Split`.
    public var type: String?
    /// The file being read, once known.
    public var file: String?
    /// What is wrong, in words.
    public var message: String

    public init(_ kind: Kind, stage: String? = nil, type: String? = nil, file: String? = nil,
                _ message: String) {
        self.kind = kind
        self.stage = stage
        self.type = type
        self.file = file
        self.message = message
    }

    public var description: String {
        var location: [String] = []
        if let file { location.append(file) }
        if let stage { location.append(stage) }
        if let type { location.append("type \"\(type)\"") }
        let prefix = location.isEmpty ? "" : location.joined(separator: ", ") + ": "
        return "tokenizer error (\(kind.rawValue)): \(prefix)\(message)"
    }

    /// The same error, attributed to `file`.
    func inFile(_ file: String) -> TokenizerError {
        var copy = self
        copy.file = file
        return copy
    }
}
