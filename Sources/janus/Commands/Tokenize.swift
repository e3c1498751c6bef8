import ArgumentParser
import Foundation
import JanusText

/// `janus tokenize`: the ids a model sees for a text (or the text of some ids), for
/// checking prompts and templates against the reference.
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Encode text to token ids (JSON array), or decode ids to text.",
        discussion: """
            Works on any byte-level BPE tokenizer.json. Special tokens are added as the
            tokenizer's post-processor says (the BOS token for Janus).
            """)

    @Option(name: .long, help: "Checkpoint directory holding tokenizer.json (and the chat template settings).")
    var model: String?

    @Option(name: .long, help: "A tokenizer.json file.")
    var tokenizer: String?

    @Flag(help: "Wrap the text in the model's chat template as one user message first.")
    var chat = false

    @Flag(help: "Treat the arguments as token ids and print their text.")
    var decode = false

    @Flag(help: "With --decode: leave special tokens out of the text.")
    var skipSpecial = false

    @Argument(help: "The text to encode, or with --decode the ids.")
    var input: [String]

    func validate() throws {
        guard (model == nil) != (tokenizer == nil) else {
            throw ValidationError("Give exactly one of --model DIR or --tokenizer FILE.")
        }
        if chat && model == nil {
            throw ValidationError("--chat needs --model: the template settings live in the checkpoint directory.")
        }
        if chat && decode { throw ValidationError("--chat applies to encoding only.") }
        if skipSpecial && !decode { throw ValidationError("--skip-special applies to --decode only.") }
        if !decode && input.count != 1 {
            throw ValidationError("Give the text as one argument (quote it); got \(input.count).")
        }
    }

    func run() throws {
        let loaded = try Tokenizer(contentsOf: tokenizer.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: model!).appendingPathComponent("tokenizer.json"))
        if decode {
            let ids = try input.map { argument -> Int in
                guard let id = Int(argument) else {
                    throw ValidationError("\"\(argument)\" is not a token id (an integer).")
                }
                return id
            }
            print(loaded.decode(ids, skipSpecialTokens: skipSpecial))
        } else if chat {
            print(try compactJSON(try chatIDs(text: input[0])))
        } else {
            print(try compactJSON(loaded.encode(input[0])))
        }
    }

    /// The ids `VLChatProcessor` gives the model for one user message: default system
    /// prompt, `deepseek` template, empty assistant turn, image tags expanded.
    private func chatIDs(text: String) throws -> [Int] {
        let builder = try PromptBuilder.load(directory: model!)
        let template = builder.template
        let imageCount = text.components(separatedBy: builder.processorConfig.imageTag).count - 1
        return try builder.understandingPrompt([template.user(text, imageCount: imageCount), template.assistant()]).inputIDs
    }
}
