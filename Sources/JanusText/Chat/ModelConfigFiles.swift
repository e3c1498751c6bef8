import Foundation

/// `processor_config.json` of a Janus checkpoint (the `VLChatProcessor` arguments).
/// Missing keys take the defaults of `VLChatProcessor.__init__`.
public struct ProcessorConfig: Codable, Sendable, Equatable {
    public var imageTag: String
    public var imageStartTag: String
    public var imageEndTag: String
    public var padTag: String
    /// Image positions per image (576 for the real 384×384 / 16 models).
    public var numImageTokens: Int
    /// Keep the original image tag before `<begin_of_image>` when expanding.
    public var addSpecialToken: Bool
    public var sftFormat: String
    public var maskPrompt: Bool
    public var ignoreID: Int

    enum CodingKeys: String, CodingKey {
        case imageTag = "image_tag"
        case imageStartTag = "image_start_tag"
        case imageEndTag = "image_end_tag"
        case padTag = "pad_tag"
        case numImageTokens = "num_image_tokens"
        case addSpecialToken = "add_special_token"
        case sftFormat = "sft_format"
        case maskPrompt = "mask_prompt"
        case ignoreID = "ignore_id"
    }

    public init(imageTag: String = "<image_placeholder>", imageStartTag: String = "<begin_of_image>",
                imageEndTag: String = "<end_of_image>", padTag: String = "<｜▁pad▁｜>",
                numImageTokens: Int = 576, addSpecialToken: Bool = false, sftFormat: String = "deepseek",
                maskPrompt: Bool = true, ignoreID: Int = -100) {
        self.imageTag = imageTag
        self.imageStartTag = imageStartTag
        self.imageEndTag = imageEndTag
        self.padTag = padTag
        self.numImageTokens = numImageTokens
        self.addSpecialToken = addSpecialToken
        self.sftFormat = sftFormat
        self.maskPrompt = maskPrompt
        self.ignoreID = ignoreID
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = ProcessorConfig()
        self.init(
            imageTag: try container.decodeIfPresent(String.self, forKey: .imageTag) ?? defaults.imageTag,
            imageStartTag: try container.decodeIfPresent(String.self, forKey: .imageStartTag) ?? defaults.imageStartTag,
            imageEndTag: try container.decodeIfPresent(String.self, forKey: .imageEndTag) ?? defaults.imageEndTag,
            padTag: try container.decodeIfPresent(String.self, forKey: .padTag) ?? defaults.padTag,
            numImageTokens: try container.decodeIfPresent(Int.self, forKey: .numImageTokens) ?? defaults.numImageTokens,
            addSpecialToken: try container.decodeIfPresent(Bool.self, forKey: .addSpecialToken) ?? defaults.addSpecialToken,
            sftFormat: try container.decodeIfPresent(String.self, forKey: .sftFormat) ?? defaults.sftFormat,
            maskPrompt: try container.decodeIfPresent(Bool.self, forKey: .maskPrompt) ?? defaults.maskPrompt,
            ignoreID: try container.decodeIfPresent(Int.self, forKey: .ignoreID) ?? defaults.ignoreID)
    }

    /// Reads `processor_config.json`.
    public init(contentsOf url: URL) throws {
        self = try decodeConfigFile(ProcessorConfig.self, at: url, section: "processor_config")
    }
}

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

/// Decodes a small JSON config file, reporting problems as `TokenizerError`s naming it.
private func decodeConfigFile<Config: Decodable>(_ type: Config.Type, at url: URL, section: String) throws -> Config {
    let data: Data
    do {
        data = try Data(contentsOf: url)
    } catch {
        throw TokenizerError(.unreadableFile, stage: section, file: url.path, "cannot read the file: \(error.localizedDescription)")
    }
    do {
        return try JSONDecoder().decode(type, from: data)
    } catch let error as DecodingError {
        var wrapped = TokenizerError(decoding: error)
        wrapped.stage = section
        throw wrapped.inFile(url.path)
    } catch {
        throw TokenizerError(.malformedJSON, stage: section, file: url.path, "\(error)")
    }
}
