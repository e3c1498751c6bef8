import Foundation

/// A configuration file that cannot be used, with the file and the key that is wrong.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let key: String?
    public let reason: String

    public init(file: String, key: String? = nil, reason: String) {
        self.file = file
        self.key = key
        self.reason = reason
    }

    public var description: String {
        if let key { return "\(file): \(key): \(reason)" }
        return "\(file): \(reason)"
    }
}

/// Decodes `T` from a JSON file, turning `DecodingError` into a `ConfigurationError`
/// that names the file and the dotted key path.
func decodeConfigurationFile<T: Decodable>(_ type: T.Type, at url: URL) throws -> T {
    let data: Data
    do {
        data = try Data(contentsOf: url)
    } catch {
        throw ConfigurationError(file: url.path, reason: "cannot read (\(error.localizedDescription))")
    }
    return try decodeConfiguration(type, from: data, file: url.path)
}

func decodeConfiguration<T: Decodable>(_ type: T.Type, from data: Data, file: String) throws -> T {
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let error as ConfigurationError {
        throw ConfigurationError(file: file, key: error.key, reason: error.reason)
    } catch let error as DecodingError {
        throw ConfigurationError(decoding: error, file: file)
    }
}

extension ConfigurationError {
    init(decoding error: DecodingError, file: String) {
        func path(_ keys: [any CodingKey]) -> String? {
            let rendered = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
            return rendered.isEmpty ? nil : rendered
        }
        switch error {
        case .typeMismatch(let type, let context):
            self.init(file: file, key: path(context.codingPath), reason: "expected \(type): \(context.debugDescription)")
        case .valueNotFound(let type, let context):
            self.init(file: file, key: path(context.codingPath), reason: "missing \(type) value")
        case .keyNotFound(let key, let context):
            self.init(file: file, key: path(context.codingPath + [key]), reason: "required key is missing")
        case .dataCorrupted(let context):
            self.init(file: file, key: path(context.codingPath),
                      reason: context.underlyingError.map { "not valid JSON (\($0.localizedDescription))" }
                          ?? context.debugDescription)
        @unknown default:
            self.init(file: file, reason: "\(error)")
        }
    }
}

/// Thrown from inside `init(from:)` when a value decodes but cannot be used.
func invalid(_ container: some KeyedDecodingContainerProtocol, _ key: some CodingKey, _ reason: String) -> ConfigurationError {
    let keys = (container.codingPath + [key]).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
    return ConfigurationError(file: "", key: keys.joined(separator: ".").replacingOccurrences(of: ".[", with: "["),
                              reason: reason)
}
