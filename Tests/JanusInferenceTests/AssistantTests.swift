import JanusImage
import JanusInference
import JanusModels
import JanusTestSupport
import JanusText
import Testing

/// Understanding from image files to text, against the golden answers.
@Suite struct AssistantTests {
    let assistant: Assistant

    init() throws {
        assistant = try Assistant.load(directory: Fixtures.safetensorsModel, decoding: .reference)
    }

    private var eos: Int { assistant.endOfSequenceID }

    @Test(arguments: [
        ("understanding.single_image", ["doge.png"], "<image_placeholder>\nWhat is the animal in this picture doing?"),
        ("understanding.two_images", ["astronaut_portrait.png", "coffee_square.jpg"],
         "<image_placeholder> is photo 1.\n<image_placeholder> is photo 2.\nWhich shows a person?"),
    ])
    func answersFromImageFilesMatchTheReference(name: String, files: [String], question: String) throws {
        var conversation = Conversation()
        try conversation.addUser(question, images: files.map { try assistant.images.load(Fixtures.path("images/\($0)")) })
        var streamed = ""
        let answer = try assistant.answer(conversation, options: AnswerOptions(maxNewTokens: 20, stopTokenIDs: [eos])) {
            streamed += $0
        }
        #expect(answer.tokenIDs == (try GoldenTensors.ids("understanding.safetensors", "\(name).generated_ids")))
        let golden = try Fixtures.goldenCase(named: name)
        #expect(answer.text == golden["generated_text"] as? String)
        #expect(streamed == answer.text)
    }

    @Test func imagesWithoutMarkersGoFirstOnTheirOwnLines() throws {
        var withMarker = Conversation(), withoutMarker = Conversation()
        let doge = try assistant.images.load(Fixtures.path("images/doge.png"))
        try withMarker.addUser("<image_placeholder>\nWhat is it?", images: [doge])
        try withoutMarker.addUser("What is it?", images: [doge])
        let template = assistant.prompts.template
        #expect(withMarker.messages(template: template) == withoutMarker.messages(template: template))
    }

    @Test func markerCountMustMatchTheImages() throws {
        var conversation = Conversation()
        let doge = try assistant.images.load(Fixtures.path("images/doge.png"))
        #expect(throws: ConversationError.placeholderMismatch(placeholders: 2, images: 1)) {
            try conversation.addUser("<image_placeholder> and <image_placeholder>", images: [doge])
        }
        #expect(throws: ConversationError.placeholderMismatch(placeholders: 1, images: 0)) {
            try conversation.addUser("<image_placeholder> what?")
        }
    }

    @Test func multiTurnPromptMatchesTheReferenceTemplate() throws {
        let golden = try Fixtures.goldenCase(named: "chat_template")
        let multi = try #require((golden["cases"] as? [[String: Any]])?.first { $0["name"] as? String == "chat.multi_turn" })
        var conversation = Conversation()
        try conversation.addUser("<image_placeholder>\nDescribe the colours in this image.",
                                 images: [try assistant.images.load(Fixtures.path("images/motorcycle_strip.png"))])
        conversation.addAssistant("Mostly red and black, with some grey.")
        try conversation.addUser("  Is it a car or a motorcycle?  ")
        let prompt = try assistant.prompts.understandingPrompt(conversation.messages(template: assistant.prompts.template))
        #expect(prompt.text == multi["sft_format"] as? String)
        #expect(prompt.inputIDs == (try GoldenTensors.ids("chat_template.safetensors", "chat.multi_turn.input_ids")))
        // And the model answers it (greedy, deterministic) without error.
        let answer = try assistant.answer(conversation, options: AnswerOptions(maxNewTokens: 5, stopTokenIDs: [eos]))
        #expect(answer.tokenIDs.count == 5)
        #expect(answer.promptTokens == prompt.inputIDs.count)
    }
}

@Suite struct AnswerTextStreamTests {
    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try Tokenizer(contentsOf: Fixtures.url("models/janus-pro-tiny-a/tokenizer.json"))
    }

    private func stream(_ text: String, stopStrings: [String]) -> (pieces: [String], stream: AnswerTextStream) {
        var stream = AnswerTextStream(tokenizer: tokenizer, stopStrings: stopStrings)
        var pieces = tokenizer.encode(text, addSpecialTokens: false).map { stream.append($0) }
        pieces.append(stream.finish())
        return (pieces, stream)
    }

    @Test func textIsCutAtTheFirstStopStringAndNeverShownInPart() {
        let (pieces, stream) = stream("It is red. User: and more", stopStrings: ["User:"])
        #expect(stream.stopped)
        #expect(stream.text == "It is red. ")
        #expect(pieces.joined() == "It is red. ")
        #expect(!pieces.contains { $0.contains("Us") })
    }

    @Test func withoutStopStringsEverythingIsShown() {
        let (pieces, stream) = stream("Hello, 世界!", stopStrings: ["User:"])
        #expect(!stream.stopped)
        #expect(pieces.joined() == "Hello, 世界!")
    }
}
