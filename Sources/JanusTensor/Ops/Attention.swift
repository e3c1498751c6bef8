import CJanusKernels
import COpenBLAS

/// Softmax attention for one sequence: query `[T, H, D]` (f32), key `[S, Hkv, D]` and
/// value `[S, Hkv, Dv]` (both f32, or both bf16: a bf16 KV cache) → `[T, H, Dv]` (f32).
///
/// Grouped-query attention falls out of the shapes: when `Hkv` divides `H`, query head
/// `h` reads key/value head `h / (H / Hkv)` (HF `repeat_kv`); `Hkv == H` is plain
/// multi-head attention. With `causal`, the T queries are the last T of the S positions
/// (a prefill has S == T; a decode step with a KV cache has T == 1), so query `t` sees
/// keys `0...S-T+t`. `scale` defaults to `1/√D`. bf16 keys and values are widened to
/// f32 (exactly); scores, softmax and sums are f32 either way. Under bf16 `compute`
/// (default: `ComputeMode.processDefault`) more than a few queries run on bf16 Q, K, V
/// and probabilities (`janus_attention_bf16`).
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

/// Which kernel `scaledDotProductAttention` runs (tests pin one).
enum AttentionPath: Equatable {
    /// The few-queries kernel up to `fewQueriesLimit` queries; above, sgemm per head, or
    /// `janus_attention_bf16` under bf16 compute.
    case automatic
    /// The few-queries kernel whatever the query count; `portable` skips the SIMD variants.
    case fewQueries(portable: Bool)
    /// Two sgemm per head whatever the query count (bf16 keys/values widened first).
    case sgemm
}

/// Attention into `output` (`[T, H, Dv]`, separate from the inputs).
public func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor,
                                      causal: Bool, scale: Float? = nil, into output: Tensor,
                                      compute: ComputeMode? = nil) {
    scaledDotProductAttention(query: query, key: key, value: value, causal: causal, scale: scale, into: output,
                              path: .automatic, compute: compute ?? .processDefault)
}

func scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, causal: Bool, scale: Float?,
                               into output: Tensor, path: AttentionPath, compute: ComputeMode = .f32) {
    let op = "scaledDotProductAttention"
    let outputs = output.mutableFloats(
        for: op, expectedShape: attentionOutputShape(query: query, key: key, value: value, causal: causal))
    for input in [query, key, value] { requireDisjoint(output, input, for: op) }
    let q = query.floats(for: op, "query")
    let cached = CachedKeysAndValues(key: key, value: value, for: op)
    let (queries, heads, headDim) = (query.shape[0], query.shape[1], query.shape[2])
    let (keys, kvHeads, valueDim) = (key.shape[0], key.shape[1], value.shape[2])
    guard queries > 0 else { return }

    let factor = scoreScale(scale, headDim: headDim)
    let fewQueriesISA: janus_isa? = switch path {
    case .automatic: queries <= fewQueriesLimit ? JANUS_ISA_BEST : nil
    case .fewQueries(let portable): portable ? JANUS_ISA_PORTABLE : JANUS_ISA_BEST
    case .sgemm: nil
    }
    if let fewQueriesISA {
        janus_attention_few_queries(q, cached.keys, cached.values, cached.dtype.kvType, outputs, queries,
                                    heads, kvHeads, keys, headDim, valueDim, factor, causal ? 1 : 0, 0, fewQueriesISA)
        return
    }
    if compute == .bf16 && path == .automatic {
        // Reads a bf16 cache as stored: no widened copy.
        janus_attention_bf16(q, cached.keys, cached.values, cached.kernelType, outputs, queries, heads, kvHeads,
                             keys, headDim, valueDim, factor, causal ? 1 : 0, 0, JANUS_ISA_BEST)
        return
    }
    cached.withFloats { k, v in
        sgemmAttention(q: q, k: k, v: v, into: outputs, queries: queries, heads: heads, kvHeads: kvHeads,
                       keys: keys, headDim: headDim, valueDim: valueDim, scale: factor, causal: causal)
    }
}

/// Non-causal attention over one fused qkv projection's output `[N, 3·H·D]` (each
/// position's q, k and v side by side, as SigLIP's `qkv` linear writes them) into
/// `output` `[N, H, D]`. Under bf16 compute with more than a few positions the kernel reads
/// q, k and v where they are (`janus_attention_bf16_strided`); otherwise they are split
/// into contiguous tensors first. The result is the split path's, bit for bit.
public func scaledDotProductAttention(packedQKV: Tensor, heads: Int, into output: Tensor, scale: Float? = nil,
                                      compute: ComputeMode? = nil) {
    let op = "scaledDotProductAttention(packedQKV:)"
    precondition(packedQKV.rank == 2 && heads > 0 && packedQKV.shape[1] % (3 * heads) == 0,
                 "\(op): expected [N, 3·H·D] for \(heads) heads, got \(packedQKV.shape)")
    let (positions, headDim) = (packedQKV.shape[0], packedQKV.shape[1] / (3 * heads))
    let mode = compute ?? .processDefault
    guard mode == .bf16, positions > fewQueriesLimit else {
        let split = permute(packedQKV.reshaped([positions, 3, heads, headDim]), [1, 0, 2, 3])
        scaledDotProductAttention(query: split[0], key: split[1], value: split[2], causal: false, scale: scale,
                                  into: output, compute: mode)
        return
    }
    let outputs = output.mutableFloats(for: op, expectedShape: [positions, heads, headDim])
    requireDisjoint(output, packedQKV, for: op)
    let q = packedQKV.floats(for: op, "packedQKV")
    let stride = 3 * heads * headDim
    let factor = scoreScale(scale, headDim: headDim)
    janus_attention_bf16_strided(q, stride, q + heads * headDim, stride, q + 2 * heads * headDim, stride,
                                 JANUS_FLOAT_F32, outputs, positions, heads, heads, positions, headDim, headDim,
                                 factor, 0, 0, JANUS_ISA_BEST)
}

/// One sequence of a batched attention call: query `[T, H, D]`, its keys `[S, Hkv, D]`
/// and values `[S, Hkv, Dv]` (a KV cache's), and where its output `[T, H, Dv]` goes.
/// Keys and values are f32, bf16, or int8 with block scales (`quantizeKVRows`:
/// `keyScales` `[S, Hkv, D / block]`, `valueScales` `[S, Hkv, Dv / block]`), read as the
/// f32 values they stand for.
public struct AttentionSequence {
    public let query: Tensor
    public let key: Tensor
    public let value: Tensor
    public let output: Tensor
    public let keyScales: Tensor?
    public let valueScales: Tensor?

    public init(query: Tensor, key: Tensor, value: Tensor, output: Tensor,
                keyScales: Tensor? = nil, valueScales: Tensor? = nil) {
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.keyScales = keyScales
        self.valueScales = valueScales
    }

    /// The int8 block size (0 for float keys and values), after checking the scales.
    fileprivate func quantizationBlock(for op: String) -> Int {
        guard key.dtype == .i8 || value.dtype == .i8 else {
            precondition(keyScales == nil && valueScales == nil, "\(op): scales given for \(key.dtype) keys")
            return 0
        }
        guard key.dtype == .i8, value.dtype == .i8, let keyScales, let valueScales,
              key.rank == 3, value.rank == 3, keyScales.dtype == .f32, valueScales.dtype == .f32,
              keyScales.rank == 3, keyScales.shape[2] > 0, keyScales.shape[0...1] == key.shape[0...1],
              valueScales.rank == 3, valueScales.shape[2] > 0, valueScales.shape[0...1] == value.shape[0...1],
              key.shape[2] % keyScales.shape[2] == 0, value.shape[2] % valueScales.shape[2] == 0,
              key.shape[2] / keyScales.shape[2] == value.shape[2] / valueScales.shape[2],
              case let block = key.shape[2] / keyScales.shape[2], block >= 16, block & (block - 1) == 0 else {
            preconditionFailure("\(op): int8 keys and values need f32 scales of one block size (a power of two from 16); "
                                + "got key \(key.dtype) \(key.shape), value \(value.dtype) \(value.shape), scales "
                                + "\(keyScales.map { "\($0.dtype) \($0.shape)" } ?? "none"), "
                                + "\(valueScales.map { "\($0.dtype) \($0.shape)" } ?? "none")")
        }
        return block
    }

    /// The same sequence over f32 keys and values (int8 ones dequantised): for the
    /// kernels that take no scales (many queries).
    fileprivate func withFloatKeysAndValues(for op: String) -> AttentionSequence {
        let block = quantizationBlock(for: op)
        guard block > 0, let keyScales, let valueScales else { return self }
        return AttentionSequence(query: query, key: dequantizedKVRows(key, scales: keyScales),
                                 value: dequantizedKVRows(value, scales: valueScales), output: output)
    }
}

/// `scaledDotProductAttention(query:key:value:causal:scale:into:compute:)` for every
/// sequence of a batch (the slots of a decode step), each with the result it gets alone;
/// those of a few queries run in one pass over the thread pool rather than one each (a
/// 32-row decode step made 768 such passes).
public func scaledDotProductAttention(_ sequences: [AttentionSequence], causal: Bool, scale: Float? = nil,
                                      compute: ComputeMode? = nil) {
    let op = "scaledDotProductAttention"
    let isFew = { (sequence: AttentionSequence) in (1...fewQueriesLimit).contains(sequence.query.shape[0]) }
    let batched = sequences.filter(isFew)
    for sequence in sequences where !isFew(sequence) {
        // One at a time: a dequantised int8 cache lives only while its sequence runs.
        let readable = sequence.withFloatKeysAndValues(for: op)
        scaledDotProductAttention(query: readable.query, key: readable.key, value: readable.value, causal: causal,
                                  scale: scale, into: readable.output, compute: compute)
    }
    guard let first = batched.first else { return }
    let (heads, headDim) = (first.query.shape[1], first.query.shape[2])
    let (kvHeads, valueDim, dtype) = (first.key.shape[1], first.value.shape[2], first.key.dtype)
    let block = first.quantizationBlock(for: op)
    let kernelSequences = batched.map { sequence in
        let outputs = sequence.output.mutableFloats(
            for: op, expectedShape: attentionOutputShape(query: sequence.query, key: sequence.key,
                                                         value: sequence.value, causal: causal))
        for input in [sequence.query, sequence.key, sequence.value] { requireDisjoint(sequence.output, input, for: op) }
        precondition(sequence.query.shape[1] == heads && sequence.query.shape[2] == headDim
                     && sequence.key.shape[1] == kvHeads && sequence.value.shape[2] == valueDim
                     && sequence.key.dtype == dtype && sequence.quantizationBlock(for: op) == block,
                     "\(op): a batch's sequences must share heads, dimensions and cache type; got query "
                     + "\(sequence.query.shape), key \(sequence.key.shape) (\(sequence.key.dtype)) after "
                     + "\(first.query.shape), \(first.key.shape) (\(dtype))")
        let cached = CachedKeysAndValues(key: sequence.key, value: sequence.value, for: op, allowingInt8: true)
        return janus_attention_sequence(q: sequence.query.floats(for: op, "query"), k: cached.keys, v: cached.values,
                                        k_scales: sequence.keyScales?.floats(for: op, "keyScales"),
                                        v_scales: sequence.valueScales?.floats(for: op, "valueScales"),
                                        out: outputs, queries: sequence.query.shape[0], keys: sequence.key.shape[0])
    }
    let factor = scoreScale(scale, headDim: headDim)
    withExtendedLifetime(batched) {
        janus_attention_few_queries_batch(kernelSequences, kernelSequences.count, dtype.kvType, block, heads,
                                          kvHeads, headDim, valueDim, factor, causal ? 1 : 0, 0, JANUS_ISA_BEST)
    }
}

/// Where attention reads keys and values: f32 in place (aligned), or bf16 / int8 (a bf16 /
/// int8 KV cache; int8 only through the batch, which passes the scales).
private struct CachedKeysAndValues {
    let keys: UnsafeRawPointer, values: UnsafeRawPointer
    let dtype: DType
    let keyCount: Int, valueCount: Int

    init(key: Tensor, value: Tensor, for op: String, allowingInt8: Bool = false) {
        precondition(key.dtype == value.dtype && (key.dtype == .f32 || key.dtype == .bf16 || (allowingInt8 && key.dtype == .i8)),
                     "\(op): key and value must both be f32 or both bf16\(allowingInt8 ? " or both int8" : ""), "
                     + "got \(key.dtype) and \(value.dtype)")
        dtype = key.dtype
        (keyCount, valueCount) = (key.elementCount, value.elementCount)
        if dtype == .f32 {
            (keys, values) = (UnsafeRawPointer(key.floats(for: op, "key")), UnsafeRawPointer(value.floats(for: op, "value")))
        } else {
            (keys, values) = (key.baseAddress, value.baseAddress)
        }
    }

    var kernelType: janus_float_type { dtype.kernelFloatType }

    /// Runs `body` on f32 keys and values: in place, or bf16 widened into scratch memory
    /// (a prefill over a bf16 cache; sgemm needs f32, and widening is one pass over the
    /// cache against the T passes of the products).
    func withFloats(_ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> Void) {
        if dtype == .f32 {
            body(keys.assumingMemoryBound(to: Float.self), values.assumingMemoryBound(to: Float.self))
            return
        }
        let widened = UnsafeMutablePointer<Float>.allocate(capacity: keyCount + valueCount)
        defer { widened.deallocate() }
        janus_bf16_to_f32(keys, widened, keyCount)
        janus_bf16_to_f32(values, widened + keyCount, valueCount)
        body(widened, widened + keyCount)
    }
}

/// Two sgemm per head (scores, then weighted values) with a row softmax between: the
/// prefill path, where T queries share every key and value read.
private func sgemmAttention(q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                            into outputs: UnsafeMutablePointer<Float>, queries: Int, heads: Int, kvHeads: Int,
                            keys: Int, headDim: Int, valueDim: Int, scale factor: Float, causal: Bool) {
    let op = "scaledDotProductAttention"
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

/// The factor on q · k: `scale`, else torch's default 1/√D as it multiplies it (a Python
/// float, i.e. the f32 rounding of 1/sqrt(D) in double).
private func scoreScale(_ scale: Float?, headDim: Int) -> Float {
    scale ?? Float(1 / Double(headDim).squareRoot())
}

extension DType {
    /// How the few-queries kernel reads a KV cache of this dtype.
    var kvType: janus_kv_type {
        switch self {
        case .f32: JANUS_KV_F32
        case .bf16: JANUS_KV_BF16
        case .i8: JANUS_KV_INT8
        default: preconditionFailure("no KV cache holds \(self)")
        }
    }
}
