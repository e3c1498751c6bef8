import ArgumentParser
import Foundation
import JanusInference

/// `janus ask`: one question about one or more images, answer streamed to stdout.
struct Ask: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask a question about images; the answer streams to stdout.",
        discussion: """
            QUESTION may contain one <image_placeholder> per --image, in order; with none, the
            images come first, each on its own line (as in the reference demos).
            """)

    @OptionGroup var modelOption: ModelOption

    @Option(name: .customLong("image"), help: "A PNG or JPEG file (repeatable).")
    var images: [String] = []

    @OptionGroup var answerOptions: AnswerOptionGroup
    @OptionGroup var computeOptions: ComputeOptions

    @Flag(help: "Print {\"text\": …, \"token_ids\": […], …} at the end instead of streaming.")
    var json = false

    @Argument(help: "The question.")
    var question: String

    func validate() throws {
        if question.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("QUESTION is empty.")
        }
    }

    struct Output: Encodable {
        let text: String
        let token_ids: [Int]
        let stop_reason: String
        let prompt_tokens: Int
    }

    func run() throws {
        computeOptions.apply()
        let assistant = try Assistant.load(directory: try modelOption.resolve())
        var conversation = Conversation()
        try conversation.addUser(question, images: images.map { try assistant.images.load($0) },
                                 imageTag: assistant.prompts.processorConfig.imageTag)
        let answer = try assistant.answer(conversation, options: answerOptions.options(
            stopTokenIDs: [assistant.endOfSequenceID])) { text in
                guard !json else { return }
                writeOut(text)
            }
        if json {
            try printJSON(Output(text: answer.text, token_ids: answer.tokenIDs,
                                 stop_reason: answer.stopReason.rawValue, prompt_tokens: answer.promptTokens))
        } else {
            writeOut("\n")
        }
    }
}
