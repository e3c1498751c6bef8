import JanusTensor

// The LLaMA decoder of Janus (transformers' LlamaForCausalLM as the reference loads it
// from `language_config`): pre-norm blocks of rotary multi-head attention and a SwiGLU
// MLP. Field names follow the checkpoint keys under `language_model.model`.

/// One sequence's share of a batched forward pass: `tokenCount` consecutive rows of the
/// batch's activations (a whole prompt in a prefill, one token in a decode step).
public struct SequenceSlot: Sendable {
    public let cache: KVCache
    public let tokenCount: Int
    /// Rotary position of the slot's first token when it is not right after the cached
    /// ones. JanusFlow's unconditional rows cache only BOS (the rest of their prompt is
    /// masked out) yet keep plain positions 0..L-1, so their image rows start at the
    /// prompt length.
    public let explicitFirstPosition: Int?

    public init(cache: KVCache, tokenCount: Int, firstPosition: Int? = nil) {
        self.cache = cache
        self.tokenCount = tokenCount
        explicitFirstPosition = firstPosition
    }

    /// Position of the slot's first token (by default the next uncached one).
    public var firstPosition: Int { explicitFirstPosition ?? cache.length }
}

struct LlamaAttention: Sendable {
    let qProj, kProj, vProj, oProj: Linear
    let heads, kvHeads, headDim: Int

    init(_ weights: Weights, configuration c: LanguageConfiguration) throws {
        heads = c.numAttentionHeads
        kvHeads = c.numKeyValueHeads
        headDim = c.headDim
        qProj = try Linear(weights.scoped("q_proj"), in: c.hiddenSize, out: heads * headDim, bias: c.attentionBias)
        kProj = try Linear(weights.scoped("k_proj"), in: c.hiddenSize, out: kvHeads * headDim, bias: c.attentionBias)
        vProj = try Linear(weights.scoped("v_proj"), in: c.hiddenSize, out: kvHeads * headDim, bias: c.attentionBias)
        oProj = try Linear(weights.scoped("o_proj"), in: heads * headDim, out: c.hiddenSize, bias: c.attentionBias)
    }

    func callAsFunction(_ x: Tensor, layer: Int, slots: [SequenceSlot], rotary: RotaryEmbedding) -> Tensor {
        let queries = qProj(x), keys = kProj(x), values = vProj(x)
        let context = Tensor(zeros: [x.shape[0], heads * headDim])
        var start = 0
        for slot in slots {
            let rows = start..<start + slot.tokenCount
            start = rows.upperBound
            let positions = Array(slot.firstPosition..<slot.firstPosition + slot.tokenCount)
            let q = queries.rows(rows).reshaped([rows.count, heads, headDim])
            let k = keys.rows(rows).reshaped([rows.count, kvHeads, headDim])
            rotary.apply(to: q, positions: positions)
            rotary.apply(to: k, positions: positions)
            let cached = slot.cache.append(layer: layer, keys: k,
                                           values: values.rows(rows).reshaped([rows.count, kvHeads, headDim]))
            scaledDotProductAttention(query: q, key: cached.keys, value: cached.values, causal: true,
                                      into: context.rows(rows).reshaped([rows.count, heads, headDim]))
        }
        return oProj(context)
    }
}

struct LlamaMLP: Sendable {
    let gateProj, upProj, downProj: Linear

    init(_ weights: Weights, configuration c: LanguageConfiguration) throws {
        gateProj = try Linear(weights.scoped("gate_proj"), in: c.hiddenSize, out: c.intermediateSize, bias: false)
        upProj = try Linear(weights.scoped("up_proj"), in: c.hiddenSize, out: c.intermediateSize, bias: false)
        downProj = try Linear(weights.scoped("down_proj"), in: c.intermediateSize, out: c.hiddenSize, bias: false)
    }

    func callAsFunction(_ x: Tensor) -> Tensor {
        let gate = gateProj(x)
        swiglu(gate: gate, up: upProj(x), into: gate)
        return downProj(gate)
    }
}

struct LlamaDecoderLayer: Sendable {
    let index: Int
    let inputLayernorm: RMSNorm
    let selfAttn: LlamaAttention
    let postAttentionLayernorm: RMSNorm
    let mlp: LlamaMLP

    init(_ weights: Weights, index: Int, configuration c: LanguageConfiguration) throws {
        self.index = index
        inputLayernorm = try RMSNorm(weights.scoped("input_layernorm"), dimensions: c.hiddenSize, eps: c.rmsNormEps)
        selfAttn = try LlamaAttention(weights.scoped("self_attn"), configuration: c)
        postAttentionLayernorm = try RMSNorm(weights.scoped("post_attention_layernorm"),
                                             dimensions: c.hiddenSize, eps: c.rmsNormEps)
        mlp = try LlamaMLP(weights.scoped("mlp"), configuration: c)
    }

    func callAsFunction(_ x: Tensor, slots: [SequenceSlot], rotary: RotaryEmbedding) -> Tensor {
        let h = add(x, selfAttn(inputLayernorm(x), layer: index, slots: slots, rotary: rotary))
        let out = mlp(postAttentionLayernorm(h))
        add(h, out, into: out)
        return out
    }
}

/// A contiguous range of decoder layers: the whole model in one process, or one
/// pipeline stage's share in the cluster.
public struct LlamaDecoderStack: Sendable {
    public let configuration: LanguageConfiguration
    public let layerRange: Range<Int>
    let layers: [LlamaDecoderLayer]
    let rotary: RotaryEmbedding

    /// - Parameter weights: scoped at `language_model.model`.
    public init(_ weights: Weights, configuration: LanguageConfiguration, layers range: Range<Int>? = nil) throws {
        let range = range ?? 0..<configuration.numHiddenLayers
        precondition(range.lowerBound >= 0 && range.upperBound <= configuration.numHiddenLayers,
                     "layer range \(range) outside 0..<\(configuration.numHiddenLayers)")
        self.configuration = configuration
        layerRange = range
        layers = try range.map { try LlamaDecoderLayer(weights.scoped("layers.\($0)"), index: $0, configuration: configuration) }
        rotary = RotaryEmbedding(headDimension: configuration.headDim,
                                 maxPositions: configuration.maxPositionEmbeddings, theta: configuration.ropeTheta)
    }

    /// A cache sized for this stack's layers.
    public func makeCache(capacity: Int = 64) -> KVCache {
        KVCache(layers: layerRange, kvHeads: configuration.numKeyValueHeads, headDim: configuration.headDim,
                capacity: capacity)
    }

    /// Runs every layer over `hidden` `[N, hidden]`, whose rows are the slots' tokens in
    /// order, appending to each slot's cache. `observe` sees each layer's output.
    public func callAsFunction(_ hidden: Tensor, slots: [SequenceSlot],
                               observe: ((Int, Tensor) -> Void)? = nil) -> Tensor {
        precondition(hidden.rank == 2 && hidden.shape[1] == configuration.hiddenSize,
                     "LlamaDecoderStack: hidden \(hidden.shape), expected [N, \(configuration.hiddenSize)]")
        precondition(slots.reduce(0) { $0 + $1.tokenCount } == hidden.shape[0],
                     "LlamaDecoderStack: slots cover a different number of rows than \(hidden.shape[0])")
        for slot in slots {
            precondition(slot.firstPosition >= slot.cache.length,
                         "first position \(slot.firstPosition) lies inside the \(slot.cache.length) cached positions")
            precondition(slot.cache.layers == layerRange, "KV cache for \(slot.cache.layers), stack is \(layerRange)")
            precondition(slot.firstPosition + slot.tokenCount <= configuration.maxPositionEmbeddings,
                         "sequence longer than max_position_embeddings \(configuration.maxPositionEmbeddings)")
            slot.cache.reserve(slot.tokenCount)
        }
        var x = hidden
        for layer in layers {
            x = layer(x, slots: slots, rotary: rotary)
            observe?(layer.index, x)
        }
        for slot in slots { slot.cache.advance(by: slot.tokenCount) }
        return x
    }
}
