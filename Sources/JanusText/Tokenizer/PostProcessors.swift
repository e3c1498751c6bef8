import Foundation

/// The `post_processor` stage: adds special tokens around the encoded ids.
protocol PostProcessor: Sendable {
    /// `pair` is the second sequence of a pair encoding, if any. Without special tokens the
    /// sequences are simply concatenated (Rust `PostProcessor::default_process`).
    func process(_ ids: [Int], pair: [Int]?, addSpecialTokens: Bool) -> [Int]
}

enum PostProcessors {
    static let factory = ComponentFactory<any PostProcessor>(stage: "post_processor", constructors: [
        "TemplateProcessing": { config in try TemplateProcessor(config: config) },
        // ByteLevel only trims offsets, which this tokenizer does not report.
        "ByteLevel": { _ in ConcatenatingPostProcessor() },
        "Sequence": { config in
            SequencePostProcessor(stages: try config.components("processors").map(makeNested))
        },
    ])

    static func make(_ value: JSONValue?) throws -> (any PostProcessor)? {
        try factory.makeOptional(value)
    }

    private static func makeNested(_ config: ComponentConfig) throws -> any PostProcessor {
        try factory.make(config)
    }
}

/// Adds nothing: the sequences one after the other.
struct ConcatenatingPostProcessor: PostProcessor {
    func process(_ ids: [Int], pair: [Int]?, addSpecialTokens: Bool) -> [Int] {
        ids + (pair ?? [])
    }
}

/// Applies processors in order; the pair is merged in by the first one (Rust `Sequence`
/// passes the combined encoding along).
struct SequencePostProcessor: PostProcessor {
    let stages: [any PostProcessor]
    func process(_ ids: [Int], pair: [Int]?, addSpecialTokens: Bool) -> [Int] {
        guard let first = stages.first else { return ids + (pair ?? []) }
        return stages.dropFirst().reduce(first.process(ids, pair: pair, addSpecialTokens: addSpecialTokens)) {
            $1.process($0, pair: nil, addSpecialTokens: addSpecialTokens)
        }
    }
}

/// `TemplateProcessing`: e.g. `<bos> $A` for one sequence and `<bos> $A <bos> $B` for pairs.
struct TemplateProcessor: PostProcessor {
    enum Piece: Sendable, Equatable {
        case sequenceA
        case sequenceB
        case special([Int])
    }

    let single: [Piece]
    let pair: [Piece]

    init(config: ComponentConfig) throws {
        var specialIDs: [String: [Int]] = [:]
        for (name, value) in try config.object("special_tokens") {
            guard case .array(let items)? = value.objectFields?["ids"] else {
                throw config.error(.malformedJSON, "special_tokens[\(name.debugDescription)] has no \"ids\" array")
            }
            specialIDs[name] = try items.map { item in
                guard case .int(let id) = item else {
                    throw config.error(.malformedJSON, "special token \(name.debugDescription) has a non-integer id")
                }
                return id
            }
        }
        single = try Self.pieces(config, key: "single", specialIDs: specialIDs)
        pair = config.optionalValue("pair") == nil
            ? single + [.sequenceB] : try Self.pieces(config, key: "pair", specialIDs: specialIDs)
    }

    /// Parses `[{"SpecialToken": {"id": "<s>", ...}}, {"Sequence": {"id": "A", ...}}, ...]`.
    private static func pieces(_ config: ComponentConfig, key: String,
                               specialIDs: [String: [Int]]) throws -> [Piece] {
        try config.array(key).map { item in
            guard case .object(let wrapper) = item, wrapper.count == 1, let (kind, body) = wrapper.first,
                  case .string(let id)? = body.objectFields?["id"] else {
                throw config.error(.malformedJSON, "\(key): each piece must be {\"SpecialToken\": {\"id\": ...}} or {\"Sequence\": {\"id\": ...}}")
            }
            switch (kind, id) {
            case ("Sequence", "A"): return .sequenceA
            case ("Sequence", "B"): return .sequenceB
            case ("SpecialToken", _):
                guard let ids = specialIDs[id] else {
                    throw config.error(.missingToken, "\(key) uses special token \(id.debugDescription), which is not in special_tokens")
                }
                return .special(ids)
            default:
                throw config.error(.malformedJSON, "\(key): unknown piece \(kind) \(id.debugDescription)")
            }
        }
    }

    func process(_ ids: [Int], pair: [Int]?, addSpecialTokens: Bool) -> [Int] {
        guard addSpecialTokens else { return ids + (pair ?? []) }
        let template = pair == nil ? single : self.pair
        return template.flatMap { piece -> [Int] in
            switch piece {
            case .sequenceA: ids
            case .sequenceB: pair ?? []
            case .special(let specialIDs): specialIDs
            }
        }
    }
}

extension JSONValue {
    /// The members, when this is an object.
    var objectFields: [String: JSONValue]? {
        if case .object(let fields) = self { return fields }
        return nil
    }
}
