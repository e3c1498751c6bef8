import Foundation

extension PromptBuilder {
    /// The tokenizer and chat settings of a checkpoint directory: `tokenizer.json`, and
    /// `processor_config.json` when present (the reference defaults otherwise).
    public static func load(directory: String) throws -> PromptBuilder {
        let root = URL(fileURLWithPath: directory)
        let tokenizer = try Tokenizer(contentsOf: root.appendingPathComponent("tokenizer.json"))
        let processorURL = root.appendingPathComponent("processor_config.json")
        let processorConfig = FileManager.default.fileExists(atPath: processorURL.path)
            ? try ProcessorConfig(contentsOf: processorURL) : ProcessorConfig()
        return try PromptBuilder(tokenizer: tokenizer, processorConfig: processorConfig)
    }
}
