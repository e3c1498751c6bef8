/// The classifier-free-guidance batch of `demo/app_janusflow.py` for one prompt: the
/// conditional rows first, then as many unconditional rows (not interleaved like
/// Janus-Pro). Unconditional rows carry the pad id after BOS and mask those prompt
/// positions out; position ids stay 0..L-1 for every row. The prompt's last token
/// (`<begin_of_image>`) is dropped: its slot holds `t_emb`, followed by the image tokens.
public struct FlowCFGBatch: Sendable, Equatable {
    /// `[2B][T]`: `tokens[B:, 1:] = pad_id`.
    public let tokens: [[Int]]
    /// `[2B][(T − 1) + 1 + n]`: zero on the unconditional rows' prompt positions 1..<T−1.
    public let attentionMask: [[Int]]
    /// `T − 1`: where `t_emb` sits (the first position after the prompt prefix).
    public let timeEmbeddingPosition: Int

    public init(promptIDs: [Int], count: Int, padID: Int, imageTokenCount: Int) {
        precondition(promptIDs.count >= 2 && count >= 1, "FlowCFGBatch: needs BOS + ≥ 1 token and ≥ 1 image")
        let length = promptIDs.count
        let unconditional = [promptIDs[0]] + [Int](repeating: padID, count: length - 1)
        tokens = Array(repeating: promptIDs, count: count) + Array(repeating: unconditional, count: count)
        let width = (length - 1) + 1 + imageTokenCount
        let open = [Int](repeating: 1, count: width)
        var masked = open
        for position in 1..<(length - 1) { masked[position] = 0 }
        attentionMask = Array(repeating: open, count: count) + Array(repeating: masked, count: count)
        timeEmbeddingPosition = length - 1
    }

    /// The lengths of `visiblePrefixes` without the ids: T − 1 for each of the `count`
    /// conditional rows, 1 (BOS) for each unconditional row. Pipeline stages, which never
    /// see the prompt, size and check their caches with it.
    public static func visiblePrefixLengths(promptLength: Int, count: Int) -> [Int] {
        Array(repeating: promptLength - 1, count: count) + Array(repeating: 1, count: count)
    }

    /// Per row, the prompt tokens the row can see: a prefix of its prompt part (every
    /// prompt token but the dropped last for conditional rows, BOS alone for
    /// unconditional ones). Because attention is causal and masked positions are never
    /// attended, caching exactly these keys and values once reproduces the demo's
    /// full recomputation at every step.
    public var visiblePrefixes: [[Int]] {
        zip(tokens, attentionMask).map { row, mask in
            let visible = mask.prefix(timeEmbeddingPosition).prefix { $0 == 1 }.count
            precondition(!mask.prefix(timeEmbeddingPosition).dropFirst(visible).contains(1),
                         "FlowCFGBatch: visible prompt positions must form a prefix")
            return Array(row.prefix(visible))
        }
    }
}
