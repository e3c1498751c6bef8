import Foundation
import Testing
@testable import JanusText

/// The streaming detokenizer on the Janus tokenizer: the emitted pieces always join to
/// `decode` of all ids, and a character split over tokens is never emitted in halves.
@Suite struct StreamingDetokenizerTests {
    let tokenizer: Tokenizer

    init() throws {
        tokenizer = try GoldenFixtures.tokenizer()
    }

    @Test func emojiSplitAcrossTokensIsEmittedWhole() {
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        // "😀" is the byte-level tokens "ðŁ" (519), "ĺ" (246), "Ģ" (222) in this vocabulary.
        #expect(tokenizer.decode([519, 246, 222]) == "😀")
        #expect(stream.append(519) == "")
        #expect(stream.append(246) == "")
        #expect(stream.append(222) == "😀")
        #expect(stream.finish() == "")
    }

    @Test(arguments: ["Hello, world! How are you today?", "你好，世界！", "Emoji: 😀😃🐶 🚀🌍",
                      "Family: 👨‍👩‍👧 flag: 🇯🇵 skin: 👍🏽", "<|User|>: hi\n\n<|Assistant|>: hello<｜end▁of▁sentence｜>",
                      "한국어 텍스트입니다."])
    func piecesJoinToTheFullDecode(_ text: String) {
        let ids = tokenizer.encode(text)
        for skipSpecialTokens in [false, true] {
            var stream = StreamingDetokenizer(tokenizer: tokenizer, skipSpecialTokens: skipSpecialTokens)
            var pieces: [String] = []
            for id in ids { pieces.append(stream.append(id)) }
            pieces.append(stream.finish())
            #expect(pieces.joined() == tokenizer.decode(ids, skipSpecialTokens: skipSpecialTokens))
            #expect(!pieces.contains { $0.unicodeScalars.contains("\u{FFFD}") })
        }
    }

    @Test func incompleteCharacterIsFlushedByFinish() {
        var stream = StreamingDetokenizer(tokenizer: tokenizer)
        #expect(stream.append(contentsOf: [39, 72, 519]) == "Hi")
        #expect(stream.finish() == "\u{FFFD}")
        // The stream starts over after finish.
        #expect(stream.append(39) == "H")
    }
}
