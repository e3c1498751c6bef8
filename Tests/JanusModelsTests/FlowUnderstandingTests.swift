import JanusModels
import JanusTensor
import JanusTestSupport
import JanusText
import Testing

/// JanusFlow image understanding from preprocessed pixels against
/// `understanding.single_image` and `understanding.two_images`.
@Suite struct FlowUnderstandingTests {
    let model: JanusFlowModel
    let prompts: PromptBuilder

    init() throws {
        model = try JanusFlowModel.load(directory: FlowFixtures.model)
        prompts = try PromptBuilder.loadJanusFlow(directory: FlowFixtures.model)
    }

    @Test(arguments: ["understanding.single_image", "understanding.two_images"])
    func greedyAnswerMatchesTheReference(name: String) throws {
        let golden = try FlowFixtures.goldenCase(named: name)
        let conversation = try #require(golden["conversation"] as? [[String: Any]])
        let question = try #require(conversation[0]["content"] as? String)
        let imageCount = (conversation[0]["images"] as? [String])?.count ?? 0
        let template = prompts.template
        let messages = [template.user(question, imageCount: imageCount), template.assistant()]
        let prompt = try prompts.understandingPrompt(messages)
        #expect(prompt.text == golden["sft_format"] as? String)
        #expect(prompt.inputIDs == (try FlowFixtures.ids(name, "input_ids")))
        let positions = model.imageRowPositions(in: prompt, prompts: prompts)
        #expect(positions.map { $0 ? 1 : 0 } == (try FlowFixtures.ids(name, "images_seq_mask")))

        let pixels = try FlowFixtures.tensor(name, "pixel_values")
        let encoder = model.imageEncoder
        try expectGolden(try encoder.visionUndEncModel.encode(pixels: pixels), name, "siglip_features")
        try expectGolden(try encoder.alignedFeatures(pixels: pixels), name, "aligned")
        let rows = try model.imageRows(pixels: pixels)
        try expectGolden(rows, name, "image_embeds_with_beg")
        let embeds = try PromptEmbedding.splice(ids: prompt.inputIDs, imagePositions: positions, imageEmbeddings: rows,
                                                language: model.language)
        try expectGolden(embeds, name, "inputs_embeds")

        let language = model.language
        let logits = language.lmHead(language.norm(language.model(
            embeds, slots: [SequenceSlot(cache: language.model.makeCache(), tokenCount: embeds.shape[0])])))
        try expectGolden(logits, name, "logits")

        let eos = try #require(prompts.tokenizer.id(forToken: "<｜end▁of▁sentence｜>"))
        var stepLogits: [Tensor] = []
        let answer = try AnswerGenerator(language: language).generate(
            promptEmbeddings: embeds, cache: language.model.makeCache(),
            options: AnswerOptions(maxNewTokens: golden["max_new_tokens"] as? Int ?? 0, stopTokenIDs: [eos])) {
                stepLogits.append($0.logits)
                return true
            }
        #expect(answer.ids == golden["generated_ids"] as? [Int])
        #expect(prompts.tokenizer.decode(answer.ids, skipSpecialTokens: true) == golden["generated_text"] as? String)
        let hasStepLogits = (golden["tensors"] as? [String: Any])?["generation_step_logits"] != nil
        if hasStepLogits {
            let expected = try FlowFixtures.tensor(name, "generation_step_logits")
            let (atol, rtol) = try FlowFixtures.tolerance(name, "generation_step_logits")
            for (step, logits) in stepLogits.enumerated() {
                expectClose(actual: logits, expected: expected[step], atol: atol, rtol: rtol, "step \(step)")
            }
        }
    }
}
