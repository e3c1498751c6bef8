import Foundation

/// How a split keeps the delimiters it finds (Rust `SplitDelimiterBehavior`).
enum SplitDelimiterBehavior: String, Sendable, CaseIterable {
    case removed = "Removed"
    case isolated = "Isolated"
    case mergedWithPrevious = "MergedWithPrevious"
    case mergedWithNext = "MergedWithNext"
    case contiguous = "Contiguous"
}

/// A stretch of a piece of text and whether the pattern matched it.
struct PatternSpan: Sendable, Equatable {
    var range: Range<String.Index>
    var isMatch: Bool
}

/// Something that can cut a piece of text into matched / unmatched spans
/// (Rust `tokenizers::tokenizer::pattern::Pattern`).
protocol SplitPattern: Sendable {
    /// Spans covering all of `text`, in order. Like the Rust `find_matches`, an empty text
    /// yields one empty unmatched span.
    func spans(in text: String) -> [PatternSpan]
}

extension OnigurumaRegex: SplitPattern {
    func spans(in text: String) -> [PatternSpan] {
        guard !text.isEmpty else { return [PatternSpan(range: text.startIndex..<text.endIndex, isMatch: false)] }
        var spans: [PatternSpan] = []
        var previous = text.startIndex
        for match in matches(in: text) {
            if previous != match.lowerBound {
                spans.append(PatternSpan(range: previous..<match.lowerBound, isMatch: false))
            }
            spans.append(PatternSpan(range: match, isMatch: true))
            previous = match.upperBound
        }
        if previous != text.endIndex {
            spans.append(PatternSpan(range: previous..<text.endIndex, isMatch: false))
        }
        return spans
    }
}

/// A per-character predicate used as a pattern: every matching character is its own match
/// (Rust `impl Pattern for Fn(char) -> bool`; Digits and Punctuation rely on this).
struct ScalarPredicatePattern: SplitPattern {
    let matches: @Sendable (Unicode.Scalar) -> Bool

    func spans(in text: String) -> [PatternSpan] {
        guard !text.isEmpty else { return [PatternSpan(range: text.startIndex..<text.endIndex, isMatch: false)] }
        var spans: [PatternSpan] = []
        let scalars = text.unicodeScalars
        var unmatchedStart = scalars.startIndex
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let next = scalars.index(after: index)
            if matches(scalars[index]) {
                if unmatchedStart != index {
                    spans.append(PatternSpan(range: unmatchedStart..<index, isMatch: false))
                }
                spans.append(PatternSpan(range: index..<next, isMatch: true))
                unmatchedStart = next
            }
            index = next
        }
        if unmatchedStart != scalars.endIndex {
            spans.append(PatternSpan(range: unmatchedStart..<scalars.endIndex, isMatch: false))
        }
        return spans
    }
}

/// Swaps matched and unmatched spans (Rust `Invert`, used by `Split` with `invert: true`).
struct InvertedPattern: SplitPattern {
    let base: any SplitPattern

    func spans(in text: String) -> [PatternSpan] {
        base.spans(in: text).map { PatternSpan(range: $0.range, isMatch: !$0.isMatch) }
    }
}

extension String {
    /// The exact scalars in `range` (indices may fall inside a grapheme cluster, e.g. a
    /// combining accent split from its base letter, so slice by scalars, not Characters).
    func scalarSlice(_ range: Range<String.Index>) -> String {
        String(unicodeScalars[range])
    }
}

enum PatternSplitter {
    /// Splits `text` with `pattern` the way Rust `NormalizedString::split` does, then drops
    /// empty pieces like `PreTokenizedString::split`.
    static func split(_ text: String, pattern: some SplitPattern,
                      behavior: SplitDelimiterBehavior) -> [String] {
        let spans = pattern.spans(in: text)
        var kept: [Range<String.Index>] = []
        switch behavior {
        case .isolated:
            kept = spans.map(\.range)
        case .removed:
            kept = spans.filter { !$0.isMatch }.map(\.range)
        case .contiguous:
            // Consecutive spans with the same match state fuse.
            var previousMatched = false
            for span in spans {
                if span.isMatch == previousMatched, let last = kept.last {
                    kept[kept.count - 1] = last.lowerBound..<span.range.upperBound
                } else {
                    kept.append(span.range)
                }
                previousMatched = span.isMatch
            }
        case .mergedWithPrevious:
            // A match (not following another match) joins the span before it.
            var previousMatched = false
            for span in spans {
                if span.isMatch && !previousMatched, let last = kept.last {
                    kept[kept.count - 1] = last.lowerBound..<span.range.upperBound
                } else {
                    kept.append(span.range)
                }
                previousMatched = span.isMatch
            }
        case .mergedWithNext:
            // Mirror image of mergedWithPrevious: walk backwards, a match joins the span after it.
            var previousMatched = false
            for span in spans.reversed() {
                if span.isMatch && !previousMatched, let last = kept.last {
                    kept[kept.count - 1] = span.range.lowerBound..<last.upperBound
                } else {
                    kept.append(span.range)
                }
                previousMatched = span.isMatch
            }
            kept.reverse()
        }
        return kept.filter { !$0.isEmpty }.map { text.scalarSlice($0) }
    }
}
