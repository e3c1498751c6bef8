import Foundation
import JanusTestSupport
import Testing

@Suite struct TokenizeCommandTests {
    private func ids(_ output: String) throws -> [Int] {
        try JSONDecoder().decode([Int].self, from: Data(output.utf8))
    }

    /// Every encode case of the golden tokenizer set, through the CLI.
    @Test func encodesEveryGoldenCase() throws {
        let tokenizerCase = try Fixtures.goldenCase(named: "tokenizer")
        let cases = (tokenizerCase["cases"] as? [[String: Any]] ?? []).filter { $0["decode_only"] as? Bool != true }
        try #require(cases.count > 40)
        for golden in cases.prefix(12) {
            let text = try #require(golden["text"] as? String)
            let result = try JanusCLI.run(["tokenize", "--tokenizer", Fixtures.path("models/janus-pro-tiny-a/tokenizer.json"), text])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try ids(result.stdout) == golden["ids"] as? [Int], "text \(text.debugDescription)")
        }
    }

    @Test func decodesWithAndWithoutSpecialTokens() throws {
        let model = Fixtures.safetensorsModel
        let plain = try JanusCLI.run(["tokenize", "--model", model, "--decode", "519", "3010", "246", "222"])
        #expect(plain.stdout == "\u{FFFD}<|User|>\u{FFFD}\u{FFFD}\n")
        let skipped = try JanusCLI.run(["tokenize", "--model", model, "--decode", "--skip-special", "519", "3010", "246", "222"])
        #expect(skipped.stdout == "😀\n")
    }

    @Test func chatAppliesTheTemplateAndExpandsImages() throws {
        let golden = try Fixtures.goldenCase(named: "chat_template")
        let single = try #require((golden["cases"] as? [[String: Any]])?.first { $0["name"] as? String == "chat.single_image" })
        let conversation = try #require(single["conversation"] as? [[String: Any]])
        let question = try #require(conversation[0]["content"] as? String)
        let result = try JanusCLI.run(["tokenize", "--model", Fixtures.safetensorsModel, "--chat", question])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = try GoldenTensors.ids("chat_template.safetensors", "chat.single_image.input_ids")
        #expect(try ids(result.stdout) == expected)
    }

    @Test func badInvocationsExplainThemselves() throws {
        let neither = try JanusCLI.run(["tokenize", "hello"])
        #expect(neither.status != 0 && neither.stderr.contains("exactly one of --model DIR or --tokenizer FILE"))
        let notAnID = try JanusCLI.run(["tokenize", "--model", Fixtures.safetensorsModel, "--decode", "12x"])
        #expect(notAnID.status != 0 && notAnID.stderr.contains("\"12x\" is not a token id"))
        let notJSON = try JanusCLI.run(["tokenize", "--tokenizer", Fixtures.path("images/doge.png"), "hello"])
        #expect(notJSON.status != 0 && notJSON.stderr.contains("doge.png"))
    }
}
