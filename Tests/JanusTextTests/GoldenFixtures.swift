import Foundation
import JanusTestSupport
import JanusText

/// Typed views of the `tokenizer` and `chat_template` cases of fixtures.json.
enum GoldenFixtures {
    static let tokenizerURL = Fixtures.url("models/janus-pro-tiny-a/tokenizer.json")
    static let modelDirectory = Fixtures.url("models/janus-pro-tiny-a")

    /// Loaded once and shared: swift-testing builds a suite instance per test case.
    private static let sharedTokenizer = Result { try Tokenizer(contentsOf: tokenizerURL) }

    static func tokenizer() throws -> Tokenizer { try sharedTokenizer.get() }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
    }

    /// One sub-case of the `tokenizer` case.
    struct TokenizerCase: Sendable, CustomStringConvertible {
        let name: String
        /// nil for `decode_only` cases.
        let text: String?
        let ids: [Int]
        let idsNoSpecial: [Int]?
        let tokens: [String]?
        let decoded: String
        let decodedSkipSpecial: String

        var description: String { name }
    }

    /// One sub-case of the `chat_template` case.
    struct ChatCase: Sendable, CustomStringConvertible {
        struct Message: Sendable {
            let role: String
            let content: String
            let imageCount: Int
        }
        let name: String
        let conversation: [Message]
        let systemPrompt: String
        let sftFormat: String
        /// Only for the generation case.
        let prompt: String?
        let idsBeforeExpansion: [Int]?
        let numImages: Int

        var description: String { name }
    }

    static func tokenizerCases() throws -> [TokenizerCase] {
        let golden = try Fixtures.goldenCase(named: "tokenizer")
        return try array(golden["cases"], "tokenizer.cases").map { entry in
            let name = try string(entry["name"], "name")
            return TokenizerCase(
                name: name,
                text: entry["text"] as? String,
                ids: try ints(entry["ids"], "\(name).ids"),
                idsNoSpecial: try entry["ids_no_special"].map { try ints($0, "\(name).ids_no_special") },
                tokens: entry["tokens"] as? [String],
                decoded: try string(entry["decoded"], "\(name).decoded"),
                decodedSkipSpecial: try string(entry["decoded_skip_special"], "\(name).decoded_skip_special"))
        }
    }

    static func chatCases() throws -> [ChatCase] {
        let golden = try Fixtures.goldenCase(named: "chat_template")
        return try array(golden["cases"], "chat_template.cases").map { entry in
            let name = try string(entry["name"], "name")
            let messages = try array(entry["conversation"], "\(name).conversation").map { message in
                ChatCase.Message(role: try string(message["role"], "role"),
                                 content: try string(message["content"], "content"),
                                 imageCount: (message["images"] as? [Any])?.count ?? 0)
            }
            return ChatCase(
                name: name,
                conversation: messages,
                systemPrompt: try string(entry["system_prompt"], "\(name).system_prompt"),
                sftFormat: try string(entry["sft_format"], "\(name).sft_format"),
                prompt: entry["prompt"] as? String,
                idsBeforeExpansion: try entry["ids_before_image_expansion"].map {
                    try ints($0, "\(name).ids_before_image_expansion")
                },
                numImages: (entry["num_images"] as? NSNumber)?.intValue ?? 0)
        }
    }

    /// `special_token_ids` of a case, e.g. ["bos": 3000].
    static func specialTokenIDs(caseNamed name: String) throws -> [String: Int] {
        let golden = try Fixtures.goldenCase(named: name)
        guard let table = golden["special_token_ids"] as? [String: Any] else {
            throw FixtureError(description: "\(name).special_token_ids missing")
        }
        return try table.mapValues { try int($0, "special_token_ids") }
    }

    static func integer(caseNamed name: String, key: String) throws -> Int {
        try int(Fixtures.goldenCase(named: name)[key], "\(name).\(key)")
    }

    // MARK: JSON helpers

    private static func array(_ value: Any?, _ what: String) throws -> [[String: Any]] {
        guard let items = value as? [[String: Any]] else { throw FixtureError(description: "\(what) is not an array of objects") }
        return items
    }

    private static func string(_ value: Any?, _ what: String) throws -> String {
        guard let text = value as? String else { throw FixtureError(description: "\(what) is not a string") }
        return text
    }

    private static func int(_ value: Any?, _ what: String) throws -> Int {
        guard let number = value as? NSNumber else { throw FixtureError(description: "\(what) is not a number") }
        return number.intValue
    }

    private static func ints(_ value: Any?, _ what: String) throws -> [Int] {
        guard let items = value as? [Any] else { throw FixtureError(description: "\(what) is not an array") }
        return try items.map { try int($0, what) }
    }
}
