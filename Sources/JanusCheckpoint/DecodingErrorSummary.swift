/// Foundation's `DecodingError` descriptions are long and name Swift types; checkpoint
/// errors want where in the JSON the problem is and a short why.
extension DecodingError {
    /// The JSON path of the problem (e.g. `["t", "shape", 0]`) and a short explanation.
    var summary: (path: [CodingKey], detail: String) {
        switch self {
        case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
        case .keyNotFound(let key, let context): (context.codingPath, "missing \"\(key.stringValue)\"")
        case .typeMismatch(_, let context), .valueNotFound(_, let context): (context.codingPath, context.debugDescription)
        @unknown default: ([], "\(self)")
        }
    }

    /// A JSON path as text: `shape[0]`, `weight_map.name`.
    static func pathText(_ path: some Collection<CodingKey>) -> String {
        path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
    }
}
