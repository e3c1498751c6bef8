import Foundation
import JanusTestSupport
import Testing
@testable import JanusText

/// A bad tokenizer.json must throw an error that says where the problem is, never crash.
@Suite struct LoadingErrorTests {
    static var minimalModel: [String: Any] { ["type": "BPE", "vocab": ["a": 0], "merges": [String]()] }

    func loadingError(_ document: [String: Any]) -> TokenizerError? {
        do {
            _ = try TestTokenizers.tokenizer(document)
            return nil
        } catch {
            return error as? TokenizerError
        }
    }

    @Test func minimalDocumentLoads() throws {
        let tokenizer = try TestTokenizers.tokenizer(TestTokenizers.document(model: Self.minimalModel))
        #expect(tokenizer.encode("aa") == [0, 0])
        #expect(tokenizer.vocabularySize == 1)
    }

    @Test(arguments: [
        ("normalizer", "Fancy"), ("pre_tokenizer", "Metaspace"), ("post_processor", "RobertaProcessing"),
        ("decoder", "WordPiece"),
    ])
    func unknownComponentTypeNamesStageAndType(stage: String, type: String) throws {
        var document = TestTokenizers.document(model: Self.minimalModel)
        document[stage] = ["type": type]
        let error = try #require(loadingError(document))
        #expect(error.kind == .unsupportedType)
        #expect(error.stage == stage)
        #expect(error.type == type)
        #expect(error.description.contains(stage) && error.description.contains("\"\(type)\""))
    }

    @Test func unknownTypeInsideASequence() throws {
        var document = TestTokenizers.document(model: Self.minimalModel)
        document["pre_tokenizer"] = ["type": "Sequence", "pretokenizers": [["type": "Digits"], ["type": "Nope"]]]
        let error = try #require(loadingError(document))
        #expect(error.kind == .unsupportedType && error.stage == "pre_tokenizer" && error.type == "Nope")
    }

    @Test func unknownModelType() throws {
        let error = try #require(loadingError(TestTokenizers.document(model: ["type": "Unigram", "vocab": [["a", 0.0]]])))
        #expect(error.kind == .unsupportedType && error.stage == "model" && error.type == "Unigram")
    }

    @Test func invalidSettings() throws {
        var document = TestTokenizers.document(model: Self.minimalModel)
        document["pre_tokenizer"] = ["type": "Split", "pattern": ["Regex": "("], "behavior": "Isolated"]
        let badRegex = try #require(loadingError(document))
        #expect(badRegex.kind == .invalidConfiguration && badRegex.stage == "pre_tokenizer" && badRegex.type == "Split")

        document["pre_tokenizer"] = ["type": "Split", "pattern": ["String": " "], "behavior": "Sideways"]
        let badBehavior = try #require(loadingError(document))
        #expect(badBehavior.description.contains("Sideways"))

        document["pre_tokenizer"] = ["type": "Split", "behavior": "Isolated"]
        #expect(try #require(loadingError(document)).kind == .malformedJSON)

        document["pre_tokenizer"] = ["no_type": true]
        #expect(try #require(loadingError(document)).kind == .malformedJSON)
    }

    @Test func malformedJSON() throws {
        for text in ["", "{", "[1, 2]", #"{"model": 3}"#, #"{"model": {"type": "BPE", "vocab": {"a": "zero"}, "merges": []}}"#] {
            #expect(throws: TokenizerError.self, "\(text)") { _ = try Tokenizer(jsonData: Data(text.utf8)) }
        }
        do {
            _ = try Tokenizer(jsonData: Data(#"{"model": {"type": "BPE", "vocab": {"a": "zero"}, "merges": []}}"#.utf8))
        } catch let error as TokenizerError {
            #expect(error.kind == .malformedJSON && error.stage == "model")
        }
    }

    @Test func missingFileNamesThePath() throws {
        let url = Fixtures.url("models/does-not-exist/tokenizer.json")
        #expect {
            _ = try Tokenizer(contentsOf: url)
        } throws: { error in
            let error = try #require(error as? TokenizerError)
            return error.kind == .unreadableFile && error.description.contains("does-not-exist")
        }
    }

    @Test func errorsInAFileNameTheFile() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("tokenizer.json")
        var document = TestTokenizers.document(model: Self.minimalModel)
        document["decoder"] = ["type": "Mystery"]
        try JSONSerialization.data(withJSONObject: document).write(to: url)
        #expect {
            _ = try Tokenizer(contentsOf: url)
        } throws: { error in
            let error = try #require(error as? TokenizerError)
            return error.file == url.path && error.description.contains(url.path) && error.description.contains("Mystery")
        }
    }
}
