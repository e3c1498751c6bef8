import Foundation
import JanusTestSupport
import Testing

@Suite struct AskCommandTests {
    struct Output: Decodable {
        let text: String
        let token_ids: [Int]
        let stop_reason: String
    }

    static let model = Fixtures.safetensorsModel

    @Test func greedyAnswerReproducesTheGoldenCaseThroughTheCLI() throws {
        let golden = try Fixtures.goldenCase(named: "understanding.single_image")
        let arguments = ["ask", "--model", Self.model, "--image", Fixtures.path("images/doge.png"), "--greedy",
                         "--max-new-tokens", "20", "<image_placeholder>\nWhat is the animal in this picture doing?"]
        let streamed = try JanusCLI.run(arguments)
        try #require(streamed.status == 0, "\(streamed.stderr)")
        #expect(streamed.stdout == (golden["generated_text"] as? String ?? "") + "\n")

        let json = try JanusCLI.run(arguments + ["--json"])
        let output = try JSONDecoder().decode(Output.self, from: Data(json.stdout.utf8))
        #expect(output.token_ids == (try GoldenTensors.ids("understanding.safetensors", "understanding.single_image.generated_ids")))
        #expect(output.text == golden["generated_text"] as? String)
        #expect(output.stop_reason == "max_tokens")
    }

    @Test func twoImagesWithMarkersMatchTheGoldenIDs() throws {
        let result = try JanusCLI.run([
            "ask", "--model", Self.model, "--image", Fixtures.path("images/astronaut_portrait.png"),
            "--image", Fixtures.path("images/coffee_square.jpg"), "--max-new-tokens", "20", "--json",
            "<image_placeholder> is photo 1.\n<image_placeholder> is photo 2.\nWhich shows a person?",
        ])
        try #require(result.status == 0, "\(result.stderr)")
        let output = try JSONDecoder().decode(Output.self, from: Data(result.stdout.utf8))
        #expect(output.token_ids == (try GoldenTensors.ids("understanding.safetensors", "understanding.two_images.generated_ids")))
    }

    @Test func badImagesAndQuestionsGetClearErrors() throws {
        let directory = try Fixtures.temporaryDirectory("janus-ask")
        defer { try? FileManager.default.removeItem(at: directory) }
        let notAnImage = directory.appendingPathComponent("notes.png")
        try Data("just some text".utf8).write(to: notAnImage)
        let truncated = directory.appendingPathComponent("cut.png")
        try Data(contentsOf: Fixtures.url("images/doge.png")).prefix(500).write(to: truncated)

        let cases: [([String], String)] = [
            (["--image", notAnImage.path, "What?"], "notes.png"),
            (["--image", truncated.path, "What?"], "cut.png"),
            (["--image", Fixtures.path("images/doge.png"), "<image_placeholder> vs <image_placeholder>"],
             "2 <image_placeholder> marker(s) but 1 image(s)"),
            (["<image_placeholder> what?"], "1 <image_placeholder> marker(s) but 0 image(s)"),
            (["--greedy", "--temperature", "0.5", "Hi"], "--greedy cannot be combined"),
        ]
        for (arguments, message) in cases {
            let result = try JanusCLI.run(["ask", "--model", Self.model] + arguments)
            #expect(result.status != 0, "\(arguments) should fail")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func chatKeepsTheConversationAndSurvivesABadTurn() throws {
        let input = """
            /image \(Fixtures.path("images/motorcycle_strip.png"))
            Describe the colours in this image.
            /image /nonexistent/picture.png
            <image_placeholder> <image_placeholder> two markers, no images
            Is it a car or a motorcycle?
            /quit
            """
        let result = try JanusCLI.run(["chat", "--model", Self.model, "--max-new-tokens", "4"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n", omittingEmptySubsequences: false).count == 3, "\(result.stdout)")
        #expect(result.stderr.contains("/nonexistent/picture.png"))
        #expect(result.stderr.contains("2 <image_placeholder> marker(s) but 0 image(s)"))
    }
}
