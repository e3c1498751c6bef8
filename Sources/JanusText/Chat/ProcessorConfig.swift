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

/// Decodes a small JSON config file (processor or tokenizer config), reporting problems
/// as `TokenizerError`s naming the file.
func decodeConfigFile<Config: Decodable>(_ type: Config.Type, at url: URL, section: String) throws -> Config {
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
