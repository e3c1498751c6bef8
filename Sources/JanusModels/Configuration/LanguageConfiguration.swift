/// The LLaMA decoder of `language_config`.
///
/// Janus checkpoints omit every key that has a `LlamaConfig` default (transformers
/// 4.33), so each optional key falls back to that default here.
public struct LanguageConfiguration: Decodable, Sendable, Equatable {
    public var hiddenSize: Int
    public var intermediateSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var numKeyValueHeads: Int
    public var vocabSize: Int
    public var maxPositionEmbeddings: Int
    public var rmsNormEps: Float
    public var ropeTheta: Float
    public var hiddenAct: String
    public var attentionBias: Bool
    public var tieWordEmbeddings: Bool
    public var torchDtype: String?

    public var headDim: Int { hiddenSize / numAttentionHeads }

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers"
        case numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads"
        case vocabSize = "vocab_size"
        case maxPositionEmbeddings = "max_position_embeddings"
        case rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta"
        case hiddenAct = "hidden_act"
        case attentionBias = "attention_bias"
        case tieWordEmbeddings = "tie_word_embeddings"
        case torchDtype = "torch_dtype"
        case ropeScaling = "rope_scaling"
    }

    public init(hiddenSize: Int, intermediateSize: Int, numHiddenLayers: Int, numAttentionHeads: Int,
                numKeyValueHeads: Int? = nil, vocabSize: Int, maxPositionEmbeddings: Int = 16384,
                rmsNormEps: Float = 1e-6, ropeTheta: Float = 10000) {
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.numKeyValueHeads = numKeyValueHeads ?? numAttentionHeads
        self.vocabSize = vocabSize
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        hiddenAct = "silu"
        attentionBias = false
        tieWordEmbeddings = false
        torchDtype = nil
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        // Defaults of transformers' LlamaConfig (the class the reference instantiates).
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 4096
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? 11008
        numHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .numHiddenLayers) ?? 32
        numAttentionHeads = try c.decodeIfPresent(Int.self, forKey: .numAttentionHeads) ?? 32
        numKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads) ?? numAttentionHeads
        vocabSize = try c.decodeIfPresent(Int.self, forKey: .vocabSize) ?? 32000
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 2048
        rmsNormEps = try c.decodeIfPresent(Float.self, forKey: .rmsNormEps) ?? 1e-6
        ropeTheta = try c.decodeIfPresent(Float.self, forKey: .ropeTheta) ?? 10000
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "silu"
        attentionBias = try c.decodeIfPresent(Bool.self, forKey: .attentionBias) ?? false
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        torchDtype = try c.decodeIfPresent(String.self, forKey: .torchDtype)

        for (key, value) in [(CodingKeys.hiddenSize, hiddenSize), (.intermediateSize, intermediateSize),
                             (.numHiddenLayers, numHiddenLayers), (.numAttentionHeads, numAttentionHeads),
                             (.numKeyValueHeads, numKeyValueHeads), (.vocabSize, vocabSize),
                             (.maxPositionEmbeddings, maxPositionEmbeddings)] where value <= 0 {
            throw invalid(c, key, "must be positive, got \(value)")
        }
        guard hiddenSize % numAttentionHeads == 0 else {
            throw invalid(c, CodingKeys.numAttentionHeads,
                          "hidden_size \(hiddenSize) is not divisible by \(numAttentionHeads) heads")
        }
        guard numAttentionHeads % numKeyValueHeads == 0 else {
            throw invalid(c, CodingKeys.numKeyValueHeads,
                          "\(numAttentionHeads) attention heads are not a multiple of \(numKeyValueHeads) KV heads")
        }
        guard hiddenAct == "silu" else {
            throw invalid(c, CodingKeys.hiddenAct, "only \"silu\" is supported, got \"\(hiddenAct)\"")
        }
        guard rmsNormEps > 0, ropeTheta > 0 else {
            throw invalid(c, CodingKeys.ropeTheta, "rms_norm_eps and rope_theta must be positive")
        }
        if c.contains(.ropeScaling), try !c.decodeNil(forKey: .ropeScaling) {
            throw invalid(c, CodingKeys.ropeScaling, "RoPE scaling is not supported by Janus models")
        }
    }
}
