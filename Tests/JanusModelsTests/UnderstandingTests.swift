import JanusCheckpoint
import JanusModels
import JanusTensor
import JanusTestSupport
import JanusText
import Testing

/// Image understanding end to end from preprocessed pixels against
/// `understanding.single_image` and `understanding.two_images`.
@Suite struct UnderstandingTests {
    let language: LanguageModel
    let encoder: ImageEncoder
    let builder: PromptBuilder

    init() throws {
        let config = try JanusConfiguration.load(directory: Fixtures.safetensorsModel)
        let weights = Weights(try Checkpoint.open(directory: Fixtures.safetensorsModel))
        language = try LanguageModel(weights.scoped("language_model"), configuration: config.language)
        encoder = try ImageEncoder(weights: weights, configuration: config)
        builder = try PromptBuilder.load(directory: Fixtures.safetensorsModel)
    }

    static let cases: [(name: String, images: [String], question: String)] = [
        ("understanding.single_image", ["doge"], "<image_placeholder>\nWhat is the animal in this picture doing?"),
        ("understanding.two_images", ["astronaut_portrait", "coffee_square"],
         "<image_placeholder> is photo 1.\n<image_placeholder> is photo 2.\nWhich shows a person?"),
    ]

    @Test(arguments: cases.indices)
    func greedyAnswerMatchesTheReference(index: Int) throws {
        let (name, images, question) = Self.cases[index]
        let file = "understanding.safetensors"
        let template = builder.template
        let prompt = try builder.understandingPrompt([template.user(question, imageCount: images.count),
                                                      template.assistant()])
        #expect(prompt.inputIDs == (try GoldenTensors.ids(file, "\(name).input_ids")))

        let pixels = try images.map { try GoldenTensors.load("image_preprocess.safetensors", "image.\($0).pixel_values") }
        let batch = Tensor(shape: [images.count, 3, encoder.imageSize, encoder.imageSize], pixels.flatMap { $0.floats() })
        let imageEmbeddings = try encoder.embeddings(pixels: batch)
        let embeds = try PromptEmbedding.splice(ids: prompt.inputIDs, imagePositions: prompt.imagesSequenceMask,
                                                imageEmbeddings: imageEmbeddings, language: language)
        expectClose(actual: embeds, expected: try GoldenTensors.load(file, "\(name).inputs_embeds"), atol: 2e-4, rtol: 1e-4, "inputs_embeds")

        let promptLogits = language.lmHead(language.norm(language.model(
            embeds, slots: [SequenceSlot(cache: language.model.makeCache(), tokenCount: embeds.shape[0])])))
        expectClose(actual: promptLogits, expected: try GoldenTensors.load(file, "\(name).logits"), atol: 2e-3, rtol: 1e-4, "prompt logits")

        let golden = try Fixtures.goldenCase(named: name)
        // Only some cases record the per-step logits.
        let hasStepLogits = (golden["tensors"] as? [String: Any])?["generation_step_logits"] != nil
        let expectedSteps = hasStepLogits ? try GoldenTensors.load(file, "\(name).generation_step_logits") : nil
        var stepLogits: [Tensor] = []
        let eos = try #require(builder.tokenizer.id(forToken: "<｜end▁of▁sentence｜>"))
        let answer = try AnswerGenerator(language: language).generate(
            promptEmbeddings: embeds, cache: language.model.makeCache(),
            options: AnswerOptions(maxNewTokens: 20, stopTokenIDs: [eos])) { step in
                stepLogits.append(step.logits)
                return true
            }
        let expectedIDs = try GoldenTensors.ids(file, "\(name).generated_ids")
        #expect(answer.ids == expectedIDs)
        #expect(answer.reason == .maxTokens)
        for (step, logits) in stepLogits.enumerated() {
            guard let expectedSteps else { break }
            expectClose(actual: logits, expected: expectedSteps[step], atol: 2e-3, rtol: 1e-4, "step \(step)")
        }
        #expect(builder.tokenizer.decode(answer.ids, skipSpecialTokens: true) == golden["generated_text"] as? String)
    }

    @Test func tooFewImageEmbeddingsAreRefused() throws {
        let template = builder.template
        let prompt = try builder.understandingPrompt([template.user("<image_placeholder>\nHi", imageCount: 1),
                                                      template.assistant()])
        #expect(throws: PromptEmbedding.Error.imageCountMismatch(positions: 36, embeddings: 0)) {
            try PromptEmbedding.splice(ids: prompt.inputIDs, imagePositions: prompt.imagesSequenceMask,
                                       imageEmbeddings: nil, language: language)
        }
    }

    @Test func answerStopsAtEndOfSequenceWithoutEmittingIt() throws {
        let embeds = language.embed([3000, 39, 2636])
        // Make whatever the first greedy token is the stop token.
        let first = try AnswerGenerator(language: language).generate(
            promptEmbeddings: embeds, cache: language.model.makeCache(),
            options: AnswerOptions(maxNewTokens: 1, stopTokenIDs: [])) { _ in true }.ids[0]
        let answer = try AnswerGenerator(language: language).generate(
            promptEmbeddings: embeds, cache: language.model.makeCache(),
            options: AnswerOptions(maxNewTokens: 5, stopTokenIDs: [first])) { _ in true }
        #expect(answer.ids.isEmpty)
        #expect(answer.reason == .endOfSequence)
    }
}
