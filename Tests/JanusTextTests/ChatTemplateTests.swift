import Foundation
import JanusTestSupport
import Testing
@testable import JanusText

/// The `chat_template` golden cases (official `VLChatProcessor`): SFT text, ids before and
/// after image expansion, and the masks in chat_template.safetensors.
@Suite struct ChatTemplateTests {
    static let cases = (try? GoldenFixtures.chatCases()) ?? []

    let builder: PromptBuilder
    let tensors: SafetensorsFixture

    init() throws {
        let config = try ProcessorConfig(contentsOf: GoldenFixtures.modelDirectory.appendingPathComponent("processor_config.json"))
        builder = try PromptBuilder(tokenizer: GoldenFixtures.tokenizer(), processorConfig: config)
        tensors = try SafetensorsFixture(url: Fixtures.url("fixtures/chat_template.safetensors"))
    }

    func messages(_ golden: GoldenFixtures.ChatCase) -> [ChatMessage] {
        golden.conversation.map { ChatMessage(role: $0.role, content: $0.content, imageCount: $0.imageCount) }
    }

    @Test func allCasesAreLoaded() throws {
        #expect(try GoldenFixtures.chatCases().map(\.name).sorted()
                == ["chat.generation", "chat.multi_turn", "chat.single_image", "chat.two_images"])
    }

    @Test func processorConfigMatchesTheFixture() throws {
        #expect(builder.processorConfig.numImageTokens == (try GoldenFixtures.integer(caseNamed: "chat_template", key: "num_image_tokens")))
        let special = try GoldenFixtures.specialTokenIDs(caseNamed: "chat_template")
        #expect(builder.imageID == special["image"])
        #expect(builder.imageStartID == special["boi"])
        #expect(builder.imageEndID == special["eoi"])
    }

    @Test(arguments: cases)
    func sftFormat(_ golden: GoldenFixtures.ChatCase) {
        #expect(builder.template.render(messages(golden), systemPrompt: golden.systemPrompt) == golden.sftFormat)
    }

    @Test(arguments: cases.filter { $0.prompt == nil })
    func understandingPrompt(_ golden: GoldenFixtures.ChatCase) throws {
        // The processor's built-in system prompt is the one recorded in the fixture.
        #expect(builder.template.defaultSystemPrompt == golden.systemPrompt)
        let prompt = try builder.understandingPrompt(messages(golden))
        #expect(prompt.text == golden.sftFormat)
        #expect(prompt.idsBeforeImageExpansion == golden.idsBeforeExpansion)
        #expect(prompt.imageCount == golden.numImages)

        let name = golden.name
        #expect(try tensors.int64Tensor("\(name).ids_before_expansion").values == prompt.idsBeforeImageExpansion)
        #expect(try tensors.int64Tensor("\(name).input_ids").values == prompt.inputIDs)
        #expect(try tensors.int64Tensor("\(name).attention_mask").values == prompt.attentionMask)
        #expect(try tensors.int64Tensor("\(name).images_seq_mask").values == prompt.imagesSequenceMask.map { $0 ? 1 : 0 })
        let embeddingMask = try tensors.int64Tensor("\(name).images_emb_mask")
        #expect(embeddingMask.shape == [prompt.imagesEmbeddingMask.count, builder.processorConfig.numImageTokens])
        #expect(embeddingMask.values == prompt.imagesEmbeddingMask.flatMap { $0.map { $0 ? 1 : 0 } })
    }

    @Test(arguments: cases.filter { $0.prompt != nil })
    func generationPrompt(_ golden: GoldenFixtures.ChatCase) throws {
        let userText = try #require(golden.conversation.first?.content)
        #expect(builder.generationPromptText(userText) == golden.prompt)
        #expect(try tensors.int64Tensor("\(golden.name).input_ids").values == builder.generationPromptIDs(userText))
    }

    @Test func imageCountMismatchThrows() {
        let template = builder.template
        #expect(throws: TokenizerError.self) {
            _ = try builder.understandingPrompt([template.user("<image_placeholder> and <image_placeholder>", imageCount: 1),
                                                 template.assistant()])
        }
    }

    @Test func promptWithoutImagesKeepsOneEmptyEmbeddingRow() throws {
        let prompt = try builder.understandingPrompt([builder.template.user("Hi"), builder.template.assistant()])
        #expect(prompt.inputIDs == prompt.idsBeforeImageExpansion)
        #expect(prompt.imagesEmbeddingMask == [[Bool](repeating: false, count: builder.processorConfig.numImageTokens)])
        #expect(!prompt.imagesSequenceMask.contains(true))
    }

    @Test func addSpecialTokenKeepsTheImageTag() throws {
        var config = builder.processorConfig
        config.addSpecialToken = true
        config.numImageTokens = 2
        let keeping = try PromptBuilder(tokenizer: builder.tokenizer, processorConfig: config)
        let prompt = keeping.expandingImages(text: "", ids: [7, keeping.imageID, 8])
        let (image, begin, end) = (keeping.imageID, keeping.imageStartID, keeping.imageEndID)
        #expect(prompt.inputIDs == [7, image, begin, image, image, end, 8])
        #expect(prompt.imagesSequenceMask == [false, true, false, true, true, false, false])
    }

    @Test func renderingRules() {
        let template = ChatTemplate.deepseek
        // Contents and the whole prompt are stripped like Python's str.strip(); an empty
        // message anywhere renders as "role:"; separators alternate by position.
        let text = template.render([template.user("  hi \u{1F}"), template.assistant(" "), template.user("again")],
                                   systemPrompt: "")
        #expect(text == "<|User|>: hi\n\n<|Assistant|>:<|User|>: again")
        #expect(template.render([template.user("x")], systemPrompt: "sys") == "sys\n\n<|User|>: x")
    }

    @Test func unknownFormatAndMissingTagsThrow() throws {
        #expect(throws: TokenizerError.self) { _ = try ChatTemplate.named("llama-3") }
        let gpt2 = try TestTokenizers.tokenizer(TestTokenizers.gpt2StyleDocument())
        #expect {
            _ = try PromptBuilder(tokenizer: gpt2)
        } throws: { error in
            (error as? TokenizerError)?.kind == .missingToken
        }
    }
}
