import JanusText

/// Turns answer tokens into text as they come: complete UTF-8 characters only, cut at
/// the first stop string, and holding back a tail that could still grow into one (so
/// no stop string is ever shown in part).
public struct AnswerTextStream: Sendable {
    public let stopStrings: [String]
    public private(set) var text = ""
    public private(set) var stopped = false
    private var detokenizer: StreamingDetokenizer
    private var emitted = 0

    public init(tokenizer: Tokenizer, stopStrings: [String]) {
        self.stopStrings = stopStrings.filter { !$0.isEmpty }
        detokenizer = StreamingDetokenizer(tokenizer: tokenizer, skipSpecialTokens: true)
    }

    /// Adds one token; returns the text that may be shown now (possibly empty).
    public mutating func append(_ token: Int) -> String {
        guard !stopped else { return "" }
        text += detokenizer.append(token)
        if let stop = stopStrings.compactMap({ text.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
            text = String(text[..<stop.lowerBound])
            stopped = true
            return flush(upTo: text.count)
        }
        let holdBack = max((stopStrings.map(\.count).max() ?? 1) - 1, 0)
        return flush(upTo: text.count - holdBack)
    }

    /// The end of the answer: whatever was held back, plus an incomplete character as U+FFFD.
    public mutating func finish() -> String {
        if !stopped { text += detokenizer.finish() }
        return flush(upTo: text.count)
    }

    private mutating func flush(upTo end: Int) -> String {
        guard end > emitted else { return "" }
        let piece = String(text.dropFirst(emitted).prefix(end - emitted))
        emitted = end
        return piece
    }
}
