import TOMLKit

/// Parses TOML text into `ConfigValue`s. Syntax errors come back located, from the parser.
enum TOMLDocument {
    static func parse(_ text: String, file: String) throws(ClusterFileError) -> [String: ConfigValue] {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ClusterFileError(ClusterProblem(
                file: file, line: error.source.begin.line, key: nil,
                message: "not valid TOML: \(error.description)"))
        } catch {
            throw ClusterFileError(ClusterProblem(file: file, line: nil, key: nil,
                                                  message: "not valid TOML: \(error)"))
        }
        return convert(table)
    }

    private static func convert(_ table: TOMLTable) -> [String: ConfigValue] {
        var entries: [String: ConfigValue] = [:]
        for key in table.keys {
            if let value = table[key] { entries[key] = convert(value) }
        }
        return entries
    }

    private static func convert(_ value: TOMLValueConvertible) -> ConfigValue {
        switch value.type {
        case .string: return .string(value.string ?? "")
        case .int: return value.int.map(ConfigValue.integer) ?? .unsupported(kind: "integer")
        case .double: return value.double.map(ConfigValue.float) ?? .unsupported(kind: "float")
        case .bool: return value.bool.map(ConfigValue.boolean) ?? .unsupported(kind: "boolean")
        case .array: return .array(value.array.map { $0.map(convert) } ?? [])
        case .table: return .table(value.table.map(convert) ?? [:])
        case .date: return .unsupported(kind: "date")
        case .time: return .unsupported(kind: "time")
        case .dateTime: return .unsupported(kind: "date-time")
        }
    }
}
