import Foundation
import JanusTestSupport
import Testing
@testable import JanusText

/// The tiny Janus-Pro tokenizer against every `tokenizer` sub-case of fixtures.json
/// (produced by the Python `tokenizers` library).
@Suite struct GoldenTokenizerTests {
    static let cases = (try? GoldenFixtures.tokenizerCases()) ?? []
    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try GoldenFixtures.tokenizer()
    }

    @Test func allCasesAreLoaded() throws {
        #expect(try GoldenFixtures.tokenizerCases().count == 57)
    }

    @Test(arguments: cases.filter { $0.text != nil })
    func encodeWithSpecialTokens(_ golden: GoldenFixtures.TokenizerCase) throws {
        let text = try #require(golden.text)
        #expect(tokenizer.encode(text, addSpecialTokens: true) == golden.ids)
    }

    @Test(arguments: cases.filter { $0.text != nil })
    func encodeWithoutSpecialTokens(_ golden: GoldenFixtures.TokenizerCase) throws {
        let text = try #require(golden.text)
        #expect(tokenizer.encode(text, addSpecialTokens: false) == golden.idsNoSpecial)
    }

    @Test(arguments: cases.filter { $0.tokens != nil })
    func tokenStrings(_ golden: GoldenFixtures.TokenizerCase) throws {
        let tokens = golden.ids.map { tokenizer.token(forID: $0) }
        #expect(tokens == golden.tokens)
        #expect(golden.tokens?.map { tokenizer.id(forToken: $0) } == golden.ids)
    }

    @Test(arguments: cases)
    func decode(_ golden: GoldenFixtures.TokenizerCase) {
        #expect(tokenizer.decode(golden.ids, skipSpecialTokens: false) == golden.decoded)
        #expect(tokenizer.decode(golden.ids, skipSpecialTokens: true) == golden.decodedSkipSpecial)
    }

    @Test func idsMatchTheFixtureTensors() throws {
        let tensors = try SafetensorsFixture(url: Fixtures.url("fixtures/tokenizer.safetensors"))
        for golden in Self.cases {
            #expect(try tensors.int64Tensor("\(golden.name).ids").values == golden.ids, "\(golden.name)")
        }
    }

    /// Beyond the golden set: combining marks right after spaces, where match bounds fall
    /// inside a grapheme cluster (ids from Python `tokenizers` 0.22.2, as the fixtures).
    @Test(arguments: [
        ("  e\u{301}\u{BD}$>", [220, 326, 136, 223, 2230, 3, 29]),
        ("   K\u{34C}", [257, 220, 42, 137, 234]),
        ("  b\u{1B3B}", [220, 296, 157, 105, 119]),
    ])
    func combiningMarksAfterSpaces(text: String, ids: [Int]) {
        #expect(tokenizer.encode(text, addSpecialTokens: false) == ids)
        #expect(tokenizer.decode(ids).unicodeScalars.elementsEqual(text.unicodeScalars))
    }

    @Test func specialTokenIDs() throws {
        let expected = try GoldenFixtures.specialTokenIDs(caseNamed: "tokenizer")
        let names = ["bos": "<｜begin▁of▁sentence｜>", "eos": "<｜end▁of▁sentence｜>", "pad": "<｜▁pad▁｜>",
                     "image": "<image_placeholder>", "boi": "<begin_of_image>", "eoi": "<end_of_image>",
                     "user": "<|User|>", "assistant": "<|Assistant|>"]
        for (key, token) in names {
            #expect(tokenizer.id(forToken: token) == expected[key], "\(key)")
        }
        #expect(tokenizer.vocabularySize == 3014)
    }
}

/// One tokenizer shared by many concurrent tasks (the BPE word cache is shared state).
@Suite struct ConcurrentUseTests {
    @Test func concurrentEncodesAgreeWithTheGoldenIDs() async throws {
        let tokenizer = try GoldenFixtures.tokenizer()
        let cases = GoldenTokenizerTests.cases.filter { $0.text != nil }
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for round in 0..<8 {
                group.addTask {
                    cases.reduce(0) { count, golden in
                        let ids = tokenizer.encode(golden.text! + (round.isMultiple(of: 2) ? "" : " x\(round)"))
                        let expected = round.isMultiple(of: 2) ? golden.ids : nil
                        return count + (expected.map { $0 == ids ? 0 : 1 } ?? 0)
                    }
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }
}
