/// A parsed TOML value, detached from the TOML library so the rest of the module (and
/// its Sendable types) never hold C++-backed objects.
enum ConfigValue: Sendable, Equatable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([ConfigValue])
    case table([String: ConfigValue])
    /// Dates and times: valid TOML, but no cluster key takes one.
    case unsupported(kind: String)

    /// How a value's type is named in messages ("expected an integer, found a string").
    var kindDescription: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .float: "a float"
        case .boolean: "a boolean"
        case .array: "an array"
        case .table: "a table"
        case .unsupported(let kind): "a \(kind)"
        }
    }

    /// The value as TOML would spell it, for quoting it back in messages.
    var tomlText: String {
        switch self {
        case .string(let text): "\"\(text)\""
        case .integer(let value): String(value)
        case .float(let value): String(value)
        case .boolean(let value): String(value)
        case .array(let values): "[" + values.map(\.tomlText).joined(separator: ", ") + "]"
        case .table: "{…}"
        case .unsupported(let kind): "<\(kind)>"
        }
    }
}
