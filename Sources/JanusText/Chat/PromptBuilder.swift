import Foundation

/// A tokenized prompt ready for the language model, with the image slots marked
/// (the batch-of-one output of `VLChatProcessor`).
public struct MultimodalPrompt: Sendable, Equatable {
    /// The formatted prompt text (`sft_format` in the reference).
    public var text: String
    /// `tokenizer.encode(text)`, before image expansion.
    public var idsBeforeImageExpansion: [Int]
    /// Ids with every image tag expanded to `<begin_of_image>`, N image tags, `<end_of_image>`.
    public var inputIDs: [Int]
    /// All ones (a single prompt has no padding).
    public var attentionMask: [Int]
    /// True where an image embedding replaces the token embedding (`input_ids == image_id`).
    public var imagesSequenceMask: [Bool]
    /// `[max(1, imageCount)][numImageTokens]`: row `j` is all true for image `j`; a prompt
    /// without images keeps one all-false row, as the reference `batchify` does.
    public var imagesEmbeddingMask: [[Bool]]
    /// Number of images (expanded image tags).
    public var imageCount: Int
}

/// Builds understanding and generation prompts for Janus models from a tokenizer and
/// the checkpoint's `processor_config.json` (reference `VLChatProcessor`).
public struct PromptBuilder: Sendable {
    public let tokenizer: Tokenizer
    public let template: ChatTemplate
    public let processorConfig: ProcessorConfig
    public let imageID: Int
    public let imageStartID: Int
    public let imageEndID: Int

    /// Looks the image tags up in the tokenizer (throws if one is missing) and picks the
    /// template named by `sft_format` unless `template` is given.
    public init(tokenizer: Tokenizer, processorConfig: ProcessorConfig = ProcessorConfig(),
                template: ChatTemplate? = nil) throws {
        func requireID(_ token: String, _ role: String) throws -> Int {
            guard let id = tokenizer.id(forToken: token) else {
                throw TokenizerError(.missingToken, stage: "processor_config",
                                     "the \(role) \(token.debugDescription) is not a token of this tokenizer")
            }
            return id
        }
        self.tokenizer = tokenizer
        self.processorConfig = processorConfig
        self.template = try template ?? ChatTemplate.named(processorConfig.sftFormat)
        imageID = try requireID(processorConfig.imageTag, "image tag")
        imageStartID = try requireID(processorConfig.imageStartTag, "image start tag")
        imageEndID = try requireID(processorConfig.imageEndTag, "image end tag")
    }

    /// An understanding prompt (`VLChatProcessor.__call__(conversations:images:)`):
    /// rendered with `systemPrompt` (the template's default when nil), tokenized with BOS,
    /// image tags expanded. Throws when the messages declare a different number of images
    /// than the prompt has image tags, which the model could not consume.
    public func understandingPrompt(_ messages: [ChatMessage], systemPrompt: String? = nil) throws -> MultimodalPrompt {
        let text = template.render(messages, systemPrompt: systemPrompt ?? template.defaultSystemPrompt)
        let prompt = expandingImages(text: text, ids: tokenizer.encode(text))
        let declared = messages.reduce(0) { $0 + $1.imageCount }
        guard declared == prompt.imageCount else {
            throw TokenizerError(.invalidConfiguration, stage: "chat_template",
                                 "the messages carry \(declared) image(s) but the prompt has \(prompt.imageCount) "
                                 + "\(processorConfig.imageTag) tag(s)")
        }
        return prompt
    }

    /// The text of an image-generation prompt (`generation_inference.py`): the user text
    /// and an empty assistant turn rendered with an empty system prompt, then
    /// `<begin_of_image>`.
    public func generationPromptText(_ userText: String) -> String {
        template.render([template.user(userText), template.assistant()], systemPrompt: "")
            + processorConfig.imageStartTag
    }

    /// `tokenizer.encode(generationPromptText(userText))`, BOS first.
    public func generationPromptIDs(_ userText: String) -> [Int] {
        tokenizer.encode(generationPromptText(userText))
    }

    /// Expands every image tag of already tokenized `ids` (`VLChatProcessor.add_image_token`
    /// and `batchify` for a batch of one).
    public func expandingImages(text: String, ids: [Int]) -> MultimodalPrompt {
        let imageTokens = processorConfig.numImageTokens
        var expanded: [Int] = []
        expanded.reserveCapacity(ids.count)
        var imageCount = 0
        for id in ids {
            guard id == imageID else {
                expanded.append(id)
                continue
            }
            imageCount += 1
            if processorConfig.addSpecialToken { expanded.append(id) }
            expanded.append(imageStartID)
            expanded.append(contentsOf: repeatElement(imageID, count: imageTokens))
            expanded.append(imageEndID)
        }
        var embeddingMask = [[Bool]](repeating: [Bool](repeating: false, count: imageTokens),
                                     count: max(1, imageCount))
        for image in 0..<imageCount { embeddingMask[image] = [Bool](repeating: true, count: imageTokens) }
        return MultimodalPrompt(
            text: text,
            idsBeforeImageExpansion: ids,
            inputIDs: expanded,
            attentionMask: [Int](repeating: 1, count: expanded.count),
            imagesSequenceMask: expanded.map { $0 == imageID },
            imagesEmbeddingMask: embeddingMask,
            imageCount: imageCount)
    }
}
