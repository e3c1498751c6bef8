import Foundation

/// The `model` stage: turns one pre-tokenized word into token ids.
protocol TokenizerModel: Sendable {
    func tokenize(_ word: String) -> [Int]
    var vocabulary: Vocabulary { get }
}

/// The `model` object of `tokenizer.json`.
///
/// Unlike the small stages it is decoded into typed values, because the vocabulary and
/// merge lists of real tokenizers hold hundreds of thousands of entries.
struct ModelDescription: Decodable, Sendable {
    let type: String
    let bpe: BPEDescription?

    private enum Keys: String, CodingKey { case type, merges }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        // Old files omit "type"; the Rust crate then recognises BPE by its merges.
        let declared = try container.decodeIfPresent(String.self, forKey: .type)
        type = declared ?? (container.contains(.merges) ? "BPE" : "(missing)")
        bpe = type == "BPE" ? try BPEDescription(from: decoder) : nil
    }
}

enum Models {
    typealias Constructor = @Sendable (ModelDescription) throws -> any TokenizerModel

    static let constructors: [String: Constructor] = [
        "BPE": { description in
            guard let bpe = description.bpe else {
                throw TokenizerError(.malformedJSON, stage: "model", type: "BPE", "missing BPE fields")
            }
            return try BPEModel(bpe)
        },
    ]

    static func make(_ description: ModelDescription) throws -> any TokenizerModel {
        guard let construct = constructors[description.type] else {
            throw TokenizerError(.unsupportedType, stage: "model", type: description.type,
                                 "unknown model type \"\(description.type)\" (supported: "
                                 + constructors.keys.sorted().joined(separator: ", ") + ")")
        }
        return try construct(description)
    }
}
