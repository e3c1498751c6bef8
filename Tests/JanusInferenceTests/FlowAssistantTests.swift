import Foundation
import JanusInference
import JanusModels
import JanusTestSupport
import Testing

/// The understanding pipeline and the text-to-image glue on the golden JanusFlow files.
@Suite struct FlowAssistantTests {
    @Test func assistantAnswersLikeTheReferenceFromImageFiles() throws {
        let assistant = try Assistant.load(directory: FlowFixtures.model, decoding: .reference)
        #expect(assistant.model is JanusFlowModel)
        for name in ["understanding.single_image", "understanding.two_images"] {
            let golden = try FlowFixtures.goldenCase(named: name)
            let turn = try #require((golden["conversation"] as? [[String: Any]])?.first)
            let files = try #require(turn["images"] as? [String])
            var conversation = Conversation()
            try conversation.addUser(try #require(turn["content"] as? String),
                                     images: try files.map { try assistant.images.load(FlowFixtures.path("images/\($0)")) })
            let answer = try assistant.answer(conversation, options: AnswerOptions(
                maxNewTokens: 20, stopTokenIDs: [assistant.endOfSequenceID]))
            #expect(answer.tokenIDs == golden["generated_ids"] as? [Int], "\(name)")
        }
    }

    @Test func pairingIsCheckedFromTheConfigsAlone() throws {
        #expect(throws: Never.self) { try FlowTextToImage.checkPairing(model: FlowFixtures.model, vae: FlowFixtures.vae) }
        #expect(throws: ModelSetupError.vaeForVQModel(model: Fixtures.safetensorsModel, vae: FlowFixtures.vae)) {
            try FlowTextToImage.checkPairing(model: Fixtures.safetensorsModel, vae: FlowFixtures.vae)
        }
        #expect(throws: ModelSetupError.wrongKind(directory: FlowFixtures.vae, found: .vae,
                                                  expected: "a Janus, Janus-Pro or JanusFlow checkpoint")) {
            try Assistant.load(directory: FlowFixtures.vae)
        }
    }

    @Test func generatedLatentsDecodeToImagesOfTheVAESize() throws {
        let flow = try FlowTextToImage.load(model: FlowFixtures.model, vae: FlowFixtures.vae)
        let latents = try flow.generate(prompt: "a fox", steps: 2, seed: 3)
        #expect(latents.shape == [1, 4, 10, 10])
        let images = try flow.images(latents: latents)
        #expect(images.count == 1 && images[0].width == 80 && images[0].height == 80)
    }
}
