import Foundation
import JanusTensor

/// Every intermediate activation of one decoder layer for `rows` rows, plus two layer
/// outputs that successive layers write in turn: what a forward pass through a
/// `LlamaDecoderStack` needs besides the KV caches.
final class DecoderActivations: @unchecked Sendable {
    let rows: Int
    /// The normalised input of the attention block, then of the MLP.
    let normed: Tensor
    let queries, keys, values: Tensor
    /// The attention heads' outputs `[rows, heads · headDim]`, before `o_proj`.
    let context: Tensor
    let attention: Tensor
    /// `x + attention`: the MLP block's residual.
    let residual: Tensor
    let gate, up: Tensor
    private let layerOutputs: [Tensor]

    init(rows: Int, configuration c: LanguageConfiguration) {
        self.rows = rows
        let (hidden, kv) = (c.hiddenSize, c.numKeyValueHeads * c.headDim)
        normed = Tensor(zeros: [rows, hidden])
        queries = Tensor(zeros: [rows, c.numAttentionHeads * c.headDim])
        keys = Tensor(zeros: [rows, kv])
        values = Tensor(zeros: [rows, kv])
        context = Tensor(zeros: [rows, c.numAttentionHeads * c.headDim])
        attention = Tensor(zeros: [rows, hidden])
        residual = Tensor(zeros: [rows, hidden])
        gate = Tensor(zeros: [rows, c.intermediateSize])
        up = Tensor(zeros: [rows, c.intermediateSize])
        layerOutputs = [Tensor(zeros: [rows, hidden]), Tensor(zeros: [rows, hidden])]
    }

    /// Where the `index`-th layer of a pass writes: never the buffer it reads.
    func layerOutput(_ index: Int) -> Tensor { layerOutputs[index % 2] }
}

/// Activations kept between forward passes of one stack, so a decode step, which has
/// the same row count every time, allocates none of its activations. Only small row
/// counts (decode batches) are kept; a prefill's activations are allocated for the pass
/// and freed after it rather than held for the life of the model.
///
/// Concurrent passes through the same stack each borrow their own set.
final class DecoderActivationCache: @unchecked Sendable {
    /// Row counts up to this keep their activations (32 rows of Janus-Pro-1B: ~3 MB).
    static let maxCachedRows = 64
    /// Sets kept at most (different batch sizes, or concurrent passes).
    static let maxCachedSets = 4

    private let configuration: LanguageConfiguration
    private let lock = NSLock()
    private var idle: [DecoderActivations] = []

    init(configuration: LanguageConfiguration) { self.configuration = configuration }

    /// A set for `rows` rows, to be handed back with `giveBack` after the pass.
    func borrow(rows: Int) -> DecoderActivations {
        let cached = lock.withLock { () -> DecoderActivations? in
            guard let index = idle.firstIndex(where: { $0.rows == rows }) else { return nil }
            return idle.remove(at: index)
        }
        return cached ?? DecoderActivations(rows: rows, configuration: configuration)
    }

    func giveBack(_ activations: DecoderActivations) {
        guard activations.rows <= Self.maxCachedRows else { return }
        lock.withLock {
            if idle.count >= Self.maxCachedSets { idle.removeFirst() }
            idle.append(activations)
        }
    }
}
