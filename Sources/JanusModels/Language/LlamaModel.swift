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

    /// Attention over `x` (the normalised hidden states) into `output`, through the
    /// projections and heads buffers of `a`.
    func forward(_ x: Tensor, layer: Int, slots: [SequenceSlot], rotary: RotaryEmbedding,
                 activations a: DecoderActivations, into output: Tensor) {
        qProj(x, into: a.queries)
        kProj(x, into: a.keys)
        vProj(x, into: a.values)
        var start = 0
        var sequences: [AttentionSequence] = []
        for slot in slots {
            let rows = start..<start + slot.tokenCount
            start = rows.upperBound
            let positions = Array(slot.firstPosition..<slot.firstPosition + slot.tokenCount)
            let q = a.queries.rows(rows).reshaped([rows.count, heads, headDim])
            let k = a.keys.rows(rows).reshaped([rows.count, kvHeads, headDim])
            rotary.apply(to: q, positions: positions)
            rotary.apply(to: k, positions: positions)
            let cached = slot.cache.append(layer: layer, keys: k,
                                           values: a.values.rows(rows).reshaped([rows.count, kvHeads, headDim]))
            sequences.append(cached.attention(query: q, output: a.context.rows(rows).reshaped([rows.count, heads, headDim])))
        }
        // Every slot's attention at once: a decode batch's slots share one pass of the pool.
        scaledDotProductAttention(sequences, causal: true)
        oProj(a.context, into: output)
    }
}

struct LlamaMLP: Sendable {
    let gateProj, upProj, downProj: Linear

    init(_ weights: Weights, configuration c: LanguageConfiguration) throws {
        gateProj = try Linear(weights.scoped("gate_proj"), in: c.hiddenSize, out: c.intermediateSize, bias: false)
        upProj = try Linear(weights.scoped("up_proj"), in: c.hiddenSize, out: c.intermediateSize, bias: false)
        downProj = try Linear(weights.scoped("down_proj"), in: c.intermediateSize, out: c.hiddenSize, bias: false)
    }

    /// `down(silu(gate(x)) · up(x))` into `output`, through the buffers of `a`.
    func forward(_ x: Tensor, activations a: DecoderActivations, into output: Tensor) {
        gateProj(x, into: a.gate)
        upProj(x, into: a.up)
        swiglu(gate: a.gate, up: a.up, into: a.gate)
        downProj(a.gate, into: output)
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

    /// `h = x + attention(norm(x))`, then `h + mlp(norm(h))` into `output` (not `x`).
    func forward(_ x: Tensor, slots: [SequenceSlot], rotary: RotaryEmbedding,
                 activations a: DecoderActivations, into output: Tensor) {
        inputLayernorm(x, into: a.normed)
        selfAttn.forward(a.normed, layer: index, slots: slots, rotary: rotary, activations: a, into: a.attention)
        add(x, a.attention, into: a.residual)
        postAttentionLayernorm(a.residual, into: a.normed)
        mlp.forward(a.normed, activations: a, into: output)
        add(a.residual, output, into: output)
    }
}

/// A contiguous range of decoder layers: the whole model in one process, or one
/// pipeline stage's share in the cluster.
public struct LlamaDecoderStack: Sendable {
    public let configuration: LanguageConfiguration
    public let layerRange: Range<Int>
    let layers: [LlamaDecoderLayer]
    let rotary: RotaryEmbedding
    let activationCache: DecoderActivationCache

    /// - Parameter weights: scoped at `language_model.model`.
    public init(_ weights: Weights, configuration: LanguageConfiguration, layers range: Range<Int>? = nil) throws {
        let range = range ?? 0..<configuration.numHiddenLayers
        precondition(range.lowerBound >= 0 && range.upperBound <= configuration.numHiddenLayers,
                     "layer range \(range) outside 0..<\(configuration.numHiddenLayers)")
        if let reason = KVCacheFormat.processDefault.unsupportedReason(headDim: configuration.headDim) {
            throw ConfigurationError(file: "config.json", key: "language_config",
                                     reason: "--kv-cache \(KVCacheFormat.processDefault.rawValue): \(reason)")
        }
        self.configuration = configuration
        layerRange = range
        // Every way of building the decoder (single process, a pipeline stage, the bench)
        // comes through here, so the process-wide `--weights` choice is applied here.
        let weights = weights.loadingLinears(as: LinearWeightFormat.languageModelDefault)
        layers = try range.map { try LlamaDecoderLayer(weights.scoped("layers.\($0)"), index: $0, configuration: configuration) }
        rotary = RotaryEmbedding(headDimension: configuration.headDim,
                                 maxPositions: configuration.maxPositionEmbeddings, theta: configuration.ropeTheta)
        activationCache = DecoderActivationCache(configuration: configuration)
    }

    /// A cache sized for this stack's layers, in `dtype` (by default the process's
    /// `KVCacheFormat`: bf16 under `--compute bf16`, else f32, unless `--kv-cache` says).
    public func makeCache(capacity: Int = 64, dtype: DType = KVCache.processDefaultDType) -> KVCache {
        KVCache(layers: layerRange, kvHeads: configuration.numKeyValueHeads, headDim: configuration.headDim,
                capacity: capacity, dtype: dtype)
    }

    /// Runs every layer over `hidden` `[N, hidden]`, whose rows are the slots' tokens in
    /// order, appending to each slot's cache. `observe` sees each layer's output.
    ///
    /// Intermediate activations live in buffers the stack keeps for the next pass of the
    /// same row count; only the returned tensor is new.
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
        let rows = hidden.shape[0]
        let activations = activationCache.borrow(rows: rows)
        defer { activationCache.giveBack(activations) }
        var x = hidden
        for (position, layer) in layers.enumerated() {
            let output = position == layers.count - 1
                ? Tensor(zeros: [rows, configuration.hiddenSize]) : activations.layerOutput(position)
            layer.forward(x, slots: slots, rotary: rotary, activations: activations, into: output)
            // The buffer is overwritten two layers on; an observer gets its own copy.
            if let observe { observe(layer.index, position == layers.count - 1 ? output : output.copy()) }
            x = output
        }
        for slot in slots { slot.cache.advance(by: slot.tokenCount) }
        return x
    }
}
