import Foundation

/// A parsed JSON value, used for the small per-stage configuration objects of
/// `tokenizer.json` (the large vocabulary and merge lists are decoded into typed values).
enum JSONValue: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// A short name of the JSON kind, for error messages.
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One pipeline component's JSON object (`{"type": "Split", ...}`), with typed accessors
/// whose errors name the stage and the component type.
struct ComponentConfig: Sendable {
    let stage: String
    let type: String
    let fields: [String: JSONValue]

    /// Reads the `type` of `value`; `stage` names the pipeline stage for errors.
    init(stage: String, value: JSONValue) throws {
        guard case .object(let fields) = value else {
            throw TokenizerError(.malformedJSON, stage: stage,
                                 "expected a component object, found \(value.kindName)")
        }
        guard case .string(let type)? = fields["type"] else {
            throw TokenizerError(.malformedJSON, stage: stage, "the component has no string \"type\" field")
        }
        self.stage = stage
        self.type = type
        self.fields = fields
    }

    /// An error about this component.
    func error(_ kind: TokenizerError.Kind, _ message: String) -> TokenizerError {
        TokenizerError(kind, stage: stage, type: type, message)
    }

    /// An invalid setting of this component.
    func error(_ message: String) -> TokenizerError {
        error(.invalidConfiguration, message)
    }

    private func wrongKind(_ key: String, expected: String, found: JSONValue) -> TokenizerError {
        error(.malformedJSON, "field \"\(key)\" should be \(expected), found \(found.kindName)")
    }

    /// The field, or nil when absent or JSON null (serde treats both as "not set").
    func optionalValue(_ key: String) -> JSONValue? {
        switch fields[key] {
        case nil, .null?: nil
        case let value?: value
        }
    }

    func value(_ key: String) throws -> JSONValue {
        guard let value = optionalValue(key) else { throw error(.malformedJSON, "missing field \"\(key)\"") }
        return value
    }

    func string(_ key: String) throws -> String {
        let found = try value(key)
        guard case .string(let text) = found else { throw wrongKind(key, expected: "a string", found: found) }
        return text
    }

    func optionalString(_ key: String) throws -> String? {
        guard optionalValue(key) != nil else { return nil }
        return try string(key)
    }

    func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let found = optionalValue(key) else { return defaultValue }
        guard case .bool(let flag) = found else { throw wrongKind(key, expected: "a boolean", found: found) }
        return flag
    }

    func int(_ key: String) throws -> Int {
        let found = try value(key)
        guard case .int(let number) = found else { throw wrongKind(key, expected: "an integer", found: found) }
        return number
    }

    func array(_ key: String) throws -> [JSONValue] {
        let found = try value(key)
        guard case .array(let items) = found else { throw wrongKind(key, expected: "an array", found: found) }
        return items
    }

    func object(_ key: String) throws -> [String: JSONValue] {
        let found = try value(key)
        guard case .object(let members) = found else { throw wrongKind(key, expected: "an object", found: found) }
        return members
    }

    /// The nested components of a `Sequence` (e.g. `pretokenizers`), each parsed in turn.
    func components(_ key: String) throws -> [ComponentConfig] {
        try array(key).map { try ComponentConfig(stage: stage, value: $0) }
    }

    /// A `{"String": "..."}` or `{"Regex": "..."}` pattern (Split, Replace).
    func pattern(_ key: String = "pattern") throws -> TextPattern {
        let members = try object(key)
        if case .string(let literal)? = members["String"] { return .literal(literal) }
        if case .string(let regex)? = members["Regex"] { return .regex(regex) }
        throw error(.malformedJSON, "field \"\(key)\" should be {\"String\": ...} or {\"Regex\": ...}")
    }
}

/// A `String` or `Regex` pattern as written in `tokenizer.json`.
enum TextPattern: Sendable, Equatable {
    case literal(String)
    case regex(String)
}

/// A registry of component constructors keyed by the JSON `type`, shared by every stage.
struct ComponentFactory<Component>: Sendable {
    typealias Constructor = @Sendable (ComponentConfig) throws -> Component

    let stage: String
    let constructors: [String: Constructor]

    func make(_ value: JSONValue) throws -> Component {
        try make(ComponentConfig(stage: stage, value: value))
    }

    func make(_ config: ComponentConfig) throws -> Component {
        guard let construct = constructors[config.type] else {
            let known = constructors.keys.sorted().joined(separator: ", ")
            throw config.error(.unsupportedType,
                               "unknown \(stage) type \"\(config.type)\" (supported: \(known))")
        }
        return try construct(config)
    }

    /// nil for an absent or JSON-null stage.
    func makeOptional(_ value: JSONValue?) throws -> Component? {
        guard let value, value != .null else { return nil }
        return try make(value)
    }
}
