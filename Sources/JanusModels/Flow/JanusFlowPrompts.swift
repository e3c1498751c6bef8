import JanusText

extension ChatTemplate {
    /// JanusFlow's conversations: the `deepseek` format its processor_config.json names,
    /// with the roles the JanusFlow processor and demo write verbatim, `User` and
    /// `Assistant` (Janus-Pro writes `<|User|>` / `<|Assistant|>`).
    public static let janusFlow: ChatTemplate = {
        var template = ChatTemplate.deepseek
        template.userRole = "User"
        template.assistantRole = "Assistant"
        return template
    }()
}

extension PromptBuilder {
    /// The prompt builder of a JanusFlow checkpoint directory: its tokenizer and
    /// processor_config.json, rendered with `ChatTemplate.janusFlow`.
    public static func loadJanusFlow(directory: String) throws -> PromptBuilder {
        let loaded = try PromptBuilder.load(directory: directory)
        return try PromptBuilder(tokenizer: loaded.tokenizer, processorConfig: loaded.processorConfig,
                                 template: .janusFlow)
    }

    /// The pad token id (`tokens[B:, 1:] = pad_id` for unconditional rows).
    public var padID: Int {
        get throws {
            guard let id = tokenizer.id(forToken: processorConfig.padTag) else {
                throw TokenizerError(.missingToken, stage: "processor_config",
                                     "the pad tag \(processorConfig.padTag.debugDescription) is not a token of this tokenizer")
            }
            return id
        }
    }
}
