import Foundation

/// Byte-pair encoding (Rust `tokenizers::models::bpe::BPE`).
///
/// A word starts as one symbol per character (with `continuing_subword_prefix` /
/// `end_of_word_suffix` applied, unknown characters handled by byte fallback or the unknown
/// token), then adjacent pairs are merged lowest rank first until no merge applies.
/// `dropout` is a training-time regulariser and is ignored: inference merges greedily.
struct BPEModel: TokenizerModel {
    /// What a pair of symbol ids merges into, and how early.
    struct Merge: Sendable {
        let rank: Int
        let newID: Int
    }

    let vocabulary: Vocabulary
    /// Keyed by `pairKey(left, right)`.
    private let merges: [UInt64: Merge]
    private let unknownTokenID: Int?
    private let continuingSubwordPrefix: String?
    private let endOfWordSuffix: String?
    private let fuseUnknown: Bool
    private let byteFallback: Bool
    private let ignoreMerges: Bool
    /// Ids of single-character tokens, for the common case with no prefix or suffix.
    private let singleScalarIDs: [Unicode.Scalar: Int]
    private let cache = BPEWordCache()

    init(_ description: BPEDescription) throws {
        let vocabulary = Vocabulary(description.vocab.map { ($0.key, $0.value) })
        self.vocabulary = vocabulary
        continuingSubwordPrefix = description.continuingSubwordPrefix
        endOfWordSuffix = description.endOfWordSuffix
        fuseUnknown = description.fuseUnk
        byteFallback = description.byteFallback
        ignoreMerges = description.ignoreMerges
        // The Rust crate only fails when an unknown character actually needs the unknown
        // token; a server should still load such a file, so a missing unk token means
        // unknown characters are dropped (what Rust does with no unk token at all).
        unknownTokenID = description.unkToken.flatMap { vocabulary.id(for: $0) }

        var singles: [Unicode.Scalar: Int] = [:]
        for (token, id) in description.vocab {
            let scalars = token.unicodeScalars
            if scalars.count == 1, let scalar = scalars.first { singles[scalar] = id }
        }
        singleScalarIDs = singles

        var merges: [UInt64: Merge] = [:]
        merges.reserveCapacity(description.merges.count)
        let prefixLength = description.continuingSubwordPrefix?.unicodeScalars.count ?? 0
        for (rank, rule) in description.merges.enumerated() {
            guard let leftID = vocabulary.id(for: rule.left), let rightID = vocabulary.id(for: rule.right) else {
                let missing = vocabulary.id(for: rule.left) == nil ? rule.left : rule.right
                throw TokenizerError(.missingToken, stage: "model", type: "BPE",
                                     "merge \(rank + 1) uses \(missing.debugDescription), which is not in the vocabulary")
            }
            // The merged token drops the right part's continuing-subword prefix.
            let rightText = prefixLength > 0 && rule.right.unicodeScalars.count >= prefixLength
                ? String(rule.right.unicodeScalars.dropFirst(prefixLength)) : rule.right
            let merged = rule.left + rightText
            guard let newID = vocabulary.id(for: merged) else {
                throw TokenizerError(.missingToken, stage: "model", type: "BPE",
                                     "merge \(rank + 1) produces \(merged.debugDescription), which is not in the vocabulary")
            }
            // A repeated pair keeps its last rank, as when Rust collects into a HashMap.
            merges[Self.pairKey(leftID, rightID)] = Merge(rank: rank, newID: newID)
        }
        self.merges = merges
    }

    static func pairKey(_ left: Int, _ right: Int) -> UInt64 {
        UInt64(UInt32(truncatingIfNeeded: left)) << 32 | UInt64(UInt32(truncatingIfNeeded: right))
    }

    func tokenize(_ word: String) -> [Int] {
        guard !word.isEmpty else { return [] }
        if ignoreMerges, let id = vocabulary.id(for: word) { return [id] }
        let key = ExactString(word)
        if let cached = cache[key] { return cached }
        let ids = mergeAll(initialSymbols(word))
        // Rust caches words shorter than 256 bytes.
        if word.utf8.count < 256 { cache.insert(ids, for: key) }
        return ids
    }

    /// One symbol per character (Rust `BPE::merge_word` before `merge_all`).
    private func initialSymbols(_ word: String) -> [Int] {
        let scalars = Array(word.unicodeScalars)
        var symbols: [Int] = []
        symbols.reserveCapacity(scalars.count)
        // An unknown-token symbol waiting to be emitted (fused with following unknowns).
        var pendingUnknown: Int?
        for (index, scalar) in scalars.enumerated() {
            let isFirst = index == 0
            let isLast = index == scalars.count - 1
            var text: String?
            var id: Int?
            if (isFirst || continuingSubwordPrefix == nil) && (!isLast || endOfWordSuffix == nil) {
                id = singleScalarIDs[scalar]
            } else {
                var symbol = String(scalar)
                if !isFirst, let prefix = continuingSubwordPrefix { symbol = prefix + symbol }
                if isLast, let suffix = endOfWordSuffix { symbol += suffix }
                text = symbol
                id = vocabulary.id(for: symbol)
            }
            if let id {
                if let unknown = pendingUnknown { symbols.append(unknown); pendingUnknown = nil }
                symbols.append(id)
                continue
            }
            if byteFallback, let bytes = byteFallbackIDs(text ?? String(scalar)) {
                symbols.append(contentsOf: bytes)
                continue
            }
            if let unknownTokenID {
                if pendingUnknown != nil && !fuseUnknown { symbols.append(unknownTokenID) }
                pendingUnknown = unknownTokenID
            }
        }
        if let unknown = pendingUnknown { symbols.append(unknown) }
        return symbols
    }

    /// `<0xAB>` tokens for each UTF-8 byte, or nil if any is missing.
    private func byteFallbackIDs(_ text: String) -> [Int]? {
        var ids: [Int] = []
        for byte in text.utf8 {
            let hex = String(byte, radix: 16, uppercase: true)
            guard let id = vocabulary.id(for: "<0x" + (byte < 16 ? "0" : "") + hex + ">") else { return nil }
            ids.append(id)
        }
        return ids
    }

    /// Applies merges lowest rank first, leftmost first among equal ranks (Rust
    /// `Word::merge_all`): a min-heap of candidate pairs over a linked list of symbols,
    /// stale candidates skipped when popped. O(n log n) in the word length.
    private func mergeAll(_ initial: [Int]) -> [Int] {
        guard initial.count > 1 else { return initial }
        var ids = initial
        var previous = Array(-1..<(ids.count - 1))
        var next = Array(1...ids.count)
        next[ids.count - 1] = -1
        var removed = [Bool](repeating: false, count: ids.count)

        var queue = MergeQueue()
        for position in 0..<(ids.count - 1) {
            if let merge = merges[Self.pairKey(ids[position], ids[position + 1])] {
                queue.push(MergeCandidate(rank: merge.rank, position: position, newID: merge.newID))
            }
        }
        while let candidate = queue.pop() {
            let position = candidate.position
            guard !removed[position], next[position] >= 0 else { continue }
            let right = next[position]
            // Stale entry: the pair at this position changed since it was queued.
            guard let current = merges[Self.pairKey(ids[position], ids[right])],
                  current.newID == candidate.newID else { continue }

            ids[position] = candidate.newID
            removed[right] = true
            next[position] = next[right]
            if next[right] >= 0 { previous[next[right]] = position }

            if previous[position] >= 0 {
                let left = previous[position]
                if let merge = merges[Self.pairKey(ids[left], ids[position])] {
                    queue.push(MergeCandidate(rank: merge.rank, position: left, newID: merge.newID))
                }
            }
            if next[position] >= 0, let merge = merges[Self.pairKey(ids[position], ids[next[position]])] {
                queue.push(MergeCandidate(rank: merge.rank, position: position, newID: merge.newID))
            }
        }
        return ids.indices.compactMap { removed[$0] ? nil : ids[$0] }
    }
}

/// A pair that may merge: ordered by rank, then by position.
struct MergeCandidate: Comparable {
    let rank: Int
    let position: Int
    let newID: Int

    static func < (lhs: MergeCandidate, rhs: MergeCandidate) -> Bool {
        (lhs.rank, lhs.position) < (rhs.rank, rhs.position)
    }
}

/// A binary min-heap of merge candidates.
struct MergeQueue {
    private var heap: [MergeCandidate] = []

    mutating func push(_ candidate: MergeCandidate) {
        heap.append(candidate)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> MergeCandidate? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left] < heap[smallest] { smallest = left }
            if right < heap.count, heap[right] < heap[smallest] { smallest = right }
            guard smallest != parent else { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }
}

/// Words already merged, shared by all threads using one tokenizer.
///
/// Bounded like the Rust cache (10 000 words): once full, new words are simply not stored.
final class BPEWordCache: @unchecked Sendable {
    // Every access to `entries` holds `lock`, hence @unchecked Sendable.
    private let lock = NSLock()
    private var entries: [ExactString: [Int]] = [:]
    let capacity: Int

    init(capacity: Int = 10_000) { self.capacity = capacity }

    subscript(word: ExactString) -> [Int]? {
        lock.withLock { entries[word] }
    }

    func insert(_ ids: [Int], for word: ExactString) {
        lock.withLock {
            if entries.count < capacity { entries[word] = ids }
        }
    }
}
