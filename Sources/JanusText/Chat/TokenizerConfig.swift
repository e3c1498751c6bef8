import Foundation

/// The special-token settings of `tokenizer_config.json` or `special_tokens_map.json`.
/// Token fields may be plain strings or `{"content": ...}` objects (both occur in the wild).
public struct TokenizerConfig: Codable, Sendable, Equatable {
    public var bosToken: String?
    public var eosToken: String?
    public var padToken: String?
    public var unkToken: String?
    public var addBOSToken: Bool
    public var addEOSToken: Bool
    public var additionalSpecialTokens: [String]
    public var modelMaxLength: Int?

    enum CodingKeys: String, CodingKey {
        case bosToken = "bos_token"
        case eosToken = "eos_token"
        case padToken = "pad_token"
        case unkToken = "unk_token"
        case addBOSToken = "add_bos_token"
        case addEOSToken = "add_eos_token"
        case additionalSpecialTokens = "additional_special_tokens"
        case modelMaxLength = "model_max_length"
    }

    public init(bosToken: String? = nil, eosToken: String? = nil, padToken: String? = nil,
                unkToken: String? = nil, addBOSToken: Bool = true, addEOSToken: Bool = false,
                additionalSpecialTokens: [String] = [], modelMaxLength: Int? = nil) {
        self.bosToken = bosToken
        self.eosToken = eosToken
        self.padToken = padToken
        self.unkToken = unkToken
        self.addBOSToken = addBOSToken
        self.addEOSToken = addEOSToken
        self.additionalSpecialTokens = additionalSpecialTokens
        self.modelMaxLength = modelMaxLength
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func token(_ key: CodingKeys) throws -> String? {
            try container.decodeIfPresent(TokenSpelling.self, forKey: key)?.content
        }
        self.init(
            bosToken: try token(.bosToken),
            eosToken: try token(.eosToken),
            padToken: try token(.padToken),
            unkToken: try token(.unkToken),
            // LlamaTokenizer defaults: BOS added, EOS not.
            addBOSToken: try container.decodeIfPresent(Bool.self, forKey: .addBOSToken) ?? true,
            addEOSToken: try container.decodeIfPresent(Bool.self, forKey: .addEOSToken) ?? false,
            additionalSpecialTokens: try container.decodeIfPresent([TokenSpelling].self,
                                                                   forKey: .additionalSpecialTokens)?.map(\.content) ?? [],
            // Some files hold a huge float here (1e30 for "no limit"): keep only real limits.
            modelMaxLength: try? container.decodeIfPresent(Int.self, forKey: .modelMaxLength))
    }

    public init(contentsOf url: URL) throws {
        self = try decodeConfigFile(TokenizerConfig.self, at: url, section: "tokenizer_config")
    }

    /// `tokenizer_config.json` with the token strings it lacks taken from
    /// `special_tokens_map.json` (either file may be absent).
    public init(directory: URL) throws {
        let fileManager = FileManager.default
        let configURL = directory.appendingPathComponent("tokenizer_config.json")
        let mapURL = directory.appendingPathComponent("special_tokens_map.json")
        var config = fileManager.fileExists(atPath: configURL.path) ? try TokenizerConfig(contentsOf: configURL) : TokenizerConfig()
        if fileManager.fileExists(atPath: mapURL.path) {
            let map = try TokenizerConfig(contentsOf: mapURL)
            config.bosToken = config.bosToken ?? map.bosToken
            config.eosToken = config.eosToken ?? map.eosToken
            config.padToken = config.padToken ?? map.padToken
            config.unkToken = config.unkToken ?? map.unkToken
            if config.additionalSpecialTokens.isEmpty { config.additionalSpecialTokens = map.additionalSpecialTokens }
        }
        self = config
    }
}

/// A token written either as `"<s>"` or as `{"content": "<s>", ...}`.
private struct TokenSpelling: Codable {
    let content: String

    private enum Keys: String, CodingKey { case content }

    init(from decoder: Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            content = text
        } else {
            content = try decoder.container(keyedBy: Keys.self).decode(String.self, forKey: .content)
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(content)
    }
}
