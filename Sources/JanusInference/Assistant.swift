import JanusModels
import JanusTensor
import JanusText

/// Image understanding in one process: a conversation in, a streamed answer out, with
/// any member of the family (Janus-Pro, JanusFlow).
public struct Assistant: Sendable {
    public let model: any UnderstandingModel
    public let prompts: PromptBuilder
    public let images: ImageInput
    /// The token that ends an answer (the tokenizer's EOS).
    public let endOfSequenceID: Int
    /// Text that ends an answer when it appears (the `deepseek` template's stop strings).
    public var stopStrings: [String] = ["User:"]

    public init(model: any UnderstandingModel, prompts: PromptBuilder, images: ImageInput, endOfSequenceID: Int) {
        self.model = model
        self.prompts = prompts
        self.images = images
        self.endOfSequenceID = endOfSequenceID
    }

    public struct Answer: Sendable {
        public let text: String
        public let tokenIDs: [Int]
        public let stopReason: StopReason
        public let promptTokens: Int
    }

    /// Answers the conversation's last user turn. `onText` receives the answer as it is
    /// produced, in complete UTF-8 characters; `onStep` every decode step's token and
    /// logits (the accuracy measurement compares them across compute modes).
    public func answer(_ conversation: Conversation, options: AnswerOptions,
                       onText: (String) -> Void = { _ in },
                       onStep: (AnswerGenerator.Step) -> Void = { _ in }) throws -> Answer {
        let prompt = try prompts.understandingPrompt(conversation.messages(template: prompts.template),
                                                     systemPrompt: conversation.systemPrompt)
        let pictures = conversation.images
        let embeddings = pictures.isEmpty ? nil : try model.imageRows(pixels: images.pixels(pictures))
        let inputs = try PromptEmbedding.splice(ids: prompt.inputIDs,
                                                imagePositions: model.imageRowPositions(in: prompt, prompts: prompts),
                                                imageEmbeddings: embeddings, language: model.language)
        var stream = AnswerTextStream(tokenizer: prompts.tokenizer, stopStrings: stopStrings)
        let cache = model.language.model.makeCache(capacity: prompt.inputIDs.count + options.maxNewTokens)
        let result = try AnswerGenerator(language: model.language).generate(
            promptEmbeddings: inputs, cache: cache, options: options) { step in
                onStep(step)
                let piece = stream.append(step.token)
                if !piece.isEmpty { onText(piece) }
                return !stream.stopped
            }
        let tail = stream.finish()
        if !tail.isEmpty { onText(tail) }
        return Answer(text: stream.text, tokenIDs: result.ids, stopReason: result.reason, promptTokens: prompt.inputIDs.count)
    }
}
