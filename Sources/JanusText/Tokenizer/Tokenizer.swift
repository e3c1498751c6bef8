import Foundation

/// A Hugging Face `tokenizer.json` tokenizer: added tokens → normalizer → pre-tokenizer →
/// model → post-processor, and back through the decoder.
///
/// Reproduces the Rust `tokenizers` crate (≥ 0.20) for byte-level BPE files such as GPT-2,
/// Llama 3, Qwen2 and DeepSeek. Immutable after loading and safe to share between threads.
public final class Tokenizer: Sendable {
    private let addedVocabulary: AddedVocabulary
    private let normalizer: (any Normalizer)?
    private let preTokenizer: (any PreTokenizer)?
    private let model: any TokenizerModel
    private let postProcessor: (any PostProcessor)?
    private let decoder: (any TokenDecoder)?

    /// Every added token, in file order.
    public var addedTokens: [AddedToken] { addedVocabulary.tokens }

    /// Loads `tokenizer.json`.
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError(.unreadableFile, file: url.path, "cannot read the file: \(error.localizedDescription)")
        }
        do {
            try self.init(jsonData: data)
        } catch let error as TokenizerError {
            throw error.inFile(url.path)
        }
    }

    /// Parses the contents of a `tokenizer.json`.
    public init(jsonData: Data) throws {
        let description: TokenizerDescription
        do {
            description = try JSONDecoder().decode(TokenizerDescription.self, from: jsonData)
        } catch let error as TokenizerError {
            throw error
        } catch let error as DecodingError {
            throw TokenizerError(decoding: error)
        } catch {
            throw TokenizerError(.malformedJSON, "not valid JSON: \(error.localizedDescription)")
        }
        normalizer = try Normalizers.make(description.normalizer)
        preTokenizer = try PreTokenizers.make(description.preTokenizer)
        model = try Models.make(description.model)
        postProcessor = try PostProcessors.make(description.postProcessor)
        decoder = try Decoders.make(description.decoder)
        addedVocabulary = AddedVocabulary(tokens: description.addedTokens, normalizer: normalizer)
    }

    // MARK: Encoding

    /// The ids of `text`; `addSpecialTokens` applies the post-processor's template
    /// (e.g. a leading BOS).
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> [Int] {
        let ids = encodeWithoutTemplate(text)
        return postProcessor?.process(ids, pair: nil, addSpecialTokens: addSpecialTokens) ?? ids
    }

    /// Encodes a pair of sequences (`$A` and `$B` of a template).
    public func encode(_ text: String, pair: String, addSpecialTokens: Bool = true) -> [Int] {
        let first = encodeWithoutTemplate(text)
        let second = encodeWithoutTemplate(pair)
        return postProcessor?.process(first, pair: second, addSpecialTokens: addSpecialTokens)
            ?? first + second
    }

    private func encodeWithoutTemplate(_ text: String) -> [Int] {
        var ids: [Int] = []
        for segment in addedVocabulary.extractAndNormalize(text, normalizer: normalizer) {
            switch segment {
            case .token(let id):
                ids.append(id)
            case .text(let piece):
                let words = preTokenizer?.split(piece) ?? [piece]
                for word in words { ids.append(contentsOf: model.tokenize(word)) }
            }
        }
        return ids
    }

    // MARK: Decoding

    /// Text for `ids`, as Rust `Tokenizer::decode` (checked against tokenizers 0.22):
    /// every id becomes its token (added tokens by their content), special ones are
    /// dropped when `skipSpecialTokens`, ids the tokenizer does not know are ignored, and
    /// the whole list goes through the decoder. With the ByteLevel decoder an added token
    /// thus comes out verbatim (its characters are printable ASCII or outside the byte
    /// alphabet, which pass through unchanged) while the byte-level text around it is
    /// turned back into UTF-8, lossily (U+FFFD for incomplete characters).
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            guard let token = self.token(forID: id) else { continue }
            if skipSpecialTokens && addedVocabulary.isSpecial(token) { continue }
            tokens.append(token)
        }
        // Without a decoder, Rust separates the tokens by spaces.
        guard let decoder else { return tokens.joined(separator: " ") }
        return decoder.decodeChain(tokens).joined()
    }

    // MARK: Vocabulary

    /// The id of a vocabulary or added token.
    public func id(forToken token: String) -> Int? {
        addedVocabulary.id(forContent: token) ?? model.vocabulary.id(for: token)
    }

    /// The token text (byte-level alphabet for model tokens) of an id.
    public func token(forID id: Int) -> String? {
        addedVocabulary.token(forID: id)?.content ?? model.vocabulary.token(for: id)
    }

    /// Whether `id` is an added token flagged special (skipped by
    /// `decode(_:skipSpecialTokens: true)`).
    public func isSpecialToken(_ id: Int) -> Bool {
        token(forID: id).map(addedVocabulary.isSpecial) ?? false
    }

    /// Distinct tokens including added ones (Rust `get_vocab_size(true)`).
    public var vocabularySize: Int {
        model.vocabulary.count + addedVocabulary.contents.filter { model.vocabulary.id(for: $0.value) == nil }.count
    }
}

/// The top level of `tokenizer.json` (truncation and padding are not used for inference).
struct TokenizerDescription: Decodable {
    var addedTokens: [AddedToken]
    var normalizer: JSONValue?
    var preTokenizer: JSONValue?
    var model: ModelDescription
    var postProcessor: JSONValue?
    var decoder: JSONValue?

    private enum Keys: String, CodingKey {
        case model, normalizer, decoder
        case addedTokens = "added_tokens"
        case preTokenizer = "pre_tokenizer"
        case postProcessor = "post_processor"
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        addedTokens = try container.decodeIfPresent([AddedToken].self, forKey: .addedTokens) ?? []
        normalizer = try container.decodeIfPresent(JSONValue.self, forKey: .normalizer)
        preTokenizer = try container.decodeIfPresent(JSONValue.self, forKey: .preTokenizer)
        postProcessor = try container.decodeIfPresent(JSONValue.self, forKey: .postProcessor)
        self.decoder = try container.decodeIfPresent(JSONValue.self, forKey: .decoder)
        model = try container.decode(ModelDescription.self, forKey: .model)
    }
}

extension TokenizerError {
    /// Describes a JSON shape problem with its path (`model.vocab.…`).
    init(decoding error: DecodingError) {
        let context: DecodingError.Context
        let problem: String
        switch error {
        case .typeMismatch(let type, let found):
            context = found
            problem = "expected \(type)"
        case .valueNotFound(let type, let found):
            context = found
            problem = "missing \(type) value"
        case .keyNotFound(let key, let found):
            context = found
            problem = "missing field \"\(key.stringValue)\""
        case .dataCorrupted(let found):
            context = found
            problem = "not valid JSON"
        @unknown default:
            self.init(.malformedJSON, "\(error)")
            return
        }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
        let stage = path.first
        let location = path.isEmpty ? "" : " at \(path.joined(separator: "."))"
        self.init(.malformedJSON, stage: stage, "\(problem)\(location): \(context.debugDescription)")
    }
}
