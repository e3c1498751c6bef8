import CJanusKernels
import COpenBLAS

/// Softmax attention for one sequence: query `[T, H, D]`, key `[S, Hkv, D]`, value
/// `[S, Hkv, Dv]` (f32) → `[T, H, Dv]`.
///
/// Grouped-query attention falls out of the shapes: when `Hkv` divides `H`, query head
/// `h` reads key/value head `h / (H / Hkv)` (HF `repeat_kv`); `Hkv == H` is plain
/// multi-head attention. With `causal`, the T queries are the last T of the S positions
/// (a prefill has S == T; a decode step with a KV cache has T == 1), so query `t` sees
/// keys `0...S-T+t`. `scale` defaults to `1/√D`. Under bf16 `compute` (default:
/// `ComputeMode.processDefault`) more than a few queries run on bf16 Q, K, V and
/// probabilities with f32 scores and sums.
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor,
                                      causal: Bool, scale: Float? = nil, compute: ComputeMode? = nil) -> Tensor {
    newOutput(attentionOutputShape(query: query, key: key, value: value, causal: causal)) {
        scaledDotProductAttention(query: query, key: key, value: value, causal: causal, scale: scale, into: $0,
                                  compute: compute)
    }
}

/// Up to this many queries (decode steps, a few speculative tokens) attention runs as
/// per-head dot products on the thread pool; more (a prefill) as two sgemm per head.
let fewQueriesLimit = 8

/// Attention into `output` (`[T, H, Dv]`, separate from the inputs).
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor,
                                      causal: Bool, scale: Float? = nil, into output: Tensor,
                                      compute: ComputeMode? = nil) {
    let op = "scaledDotProductAttention"
    let outputs = output.mutableFloats(
        for: op, expectedShape: attentionOutputShape(query: query, key: key, value: value, causal: causal))
    for input in [query, key, value] { requireDisjoint(output, input, for: op) }
    let (queries, heads, headDim) = (query.shape[0], query.shape[1], query.shape[2])
    let (keys, kvHeads, valueDim) = (key.shape[0], key.shape[1], value.shape[2])
    let q = query.floats(for: op, "query"), k = key.floats(for: op, "key"), v = value.floats(for: op, "value")
    guard queries > 0 else { return }

    // torch multiplies by a Python float, i.e. the f32 rounding of 1/sqrt(D) in double.
    let factor = scale ?? Float(1 / Double(headDim).squareRoot())
    if queries <= fewQueriesLimit {
        janus_attention_few_queries(q, k, v, outputs, queries, heads, kvHeads, keys, headDim, valueDim,
                                    factor, causal ? 1 : 0, 0)
        return
    }
    if (compute ?? .processDefault) == .bf16 {
        janus_attention_bf16(q, k, v, outputs, queries, heads, kvHeads, keys, headDim, valueDim,
                             factor, causal ? 1 : 0, 0, JANUS_ISA_BEST)
        return
    }
    let headsPerKV = heads / kvHeads
    let (blasT, blasS) = (blasDimension(queries, for: op), blasDimension(keys, for: op))
    let (blasD, blasDv) = (blasDimension(headDim, for: op), blasDimension(valueDim, for: op))
    let queryStride = blasDimension(heads * headDim, for: op)
    let keyStride = blasDimension(kvHeads * headDim, for: op)
    let valueStride = blasDimension(kvHeads * valueDim, for: op)
    let outputStride = blasDimension(heads * valueDim, for: op)

    // One [T, S] score matrix, reused by every head.
    let scores = UnsafeMutablePointer<Float>.allocate(capacity: queries * keys)
    defer { scores.deallocate() }
    for head in 0..<heads {
        let kvHead = head / headsPerKV
        // Strided views of the head's columns: no copies of Q, K or V.
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasT, blasS, blasD,
                    factor, q + head * headDim, queryStride, k + kvHead * headDim, keyStride,
                    0, scores, blasS)
        for t in 0..<queries {
            let row = scores + t * keys
            let visible = causal ? keys - queries + t + 1 : keys
            janus_rows_softmax(row, row, 1, visible, 1)
            (row + visible).update(repeating: 0, count: keys - visible)
        }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasT, blasDv, blasS,
                    1, scores, blasS, v + kvHead * valueDim, valueStride,
                    0, outputs + head * valueDim, outputStride)
    }
}

private func attentionOutputShape(query: Tensor, key: Tensor, value: Tensor, causal: Bool) -> [Int] {
    let op = "scaledDotProductAttention"
    precondition(query.rank == 3 && key.rank == 3 && value.rank == 3,
                 "\(op): expected query [T, H, D], key [S, Hkv, D], value [S, Hkv, Dv]; got \(query.shape), \(key.shape), \(value.shape)")
    let (queries, heads, headDim) = (query.shape[0], query.shape[1], query.shape[2])
    let (keys, kvHeads) = (key.shape[0], key.shape[1])
    precondition(key.shape[2] == headDim && value.shape[0] == keys && value.shape[1] == kvHeads,
                 "\(op): query \(query.shape), key \(key.shape) and value \(value.shape) do not fit together")
    precondition(kvHeads > 0 && heads % kvHeads == 0,
                 "\(op): \(kvHeads) key/value heads do not divide \(heads) query heads")
    precondition(keys > 0 && headDim > 0 && value.shape[2] > 0,
                 "\(op): empty keys or head dimension in key \(key.shape), value \(value.shape)")
    precondition(!causal || queries <= keys,
                 "\(op): causal attention with more queries (\(queries)) than keys (\(keys))")
    return [queries, heads, value.shape[2]]
}
