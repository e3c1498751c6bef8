import Foundation

/// A JanusFlow `multi_modality` config.json: the language model, the SigLIP
/// understanding encoder and the two ShallowUViT halves of rectified-flow generation.
///
/// The official `MultiModalityCausalLM.__init__` hard-codes the aligner widths and
/// `demo/app_janusflow.py` the latent geometry; the tiny test checkpoints spell them out
/// as top-level keys, and an absent key takes the value of the real JanusFlow-1.3B.
public struct JanusFlowConfiguration: Decodable, Sendable, Equatable {
    public var modelType: String
    public var language: LanguageConfiguration
    /// `vision_und_enc_config` (SigLIP-L/16-384 in the real model).
    public var understandingVision: Component<VisionConfiguration>
    /// `vision_gen_enc_config`.
    public var generationEncoder: Component<ShallowUViTEncoderConfiguration>
    /// `vision_gen_dec_config`.
    public var generationDecoder: Component<ShallowUViTDecoderConfiguration>
    public var torchDtype: String?

    /// `vision_und_enc_aligner`: `Linear(in, out)`.
    public var understandingAlignerIn: Int
    public var understandingAlignerOut: Int
    /// Width of `beg_of_und_embed` `[1, D]`.
    public var beginOfUnderstandingDim: Int
    /// `vision_gen_enc_aligner`: `Linear(in, out)`.
    public var encoderAlignerIn: Int
    public var encoderAlignerOut: Int
    /// `vision_gen_dec_aligner_norm`: `RMSNorm(D)`.
    public var decoderAlignerNormDim: Int
    /// `vision_gen_dec_aligner`: `Linear(in, out)`.
    public var decoderAlignerIn: Int
    public var decoderAlignerOut: Int
    /// Latent geometry of generation (`z` is `[B, channels, size, size]`).
    public var latentChannels: Int
    public var latentSize: Int
    /// Side of the image-token grid the LLM sees, and its token count (= grid²).
    public var gridSize: Int
    public var imageTokenCount: Int

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type", language = "language_config", torchDtype = "torch_dtype"
        case understandingVision = "vision_und_enc_config", generationEncoder = "vision_gen_enc_config"
        case generationDecoder = "vision_gen_dec_config"
        case understandingAlignerIn = "und_aligner_in_features", understandingAlignerOut = "und_aligner_out_features"
        case beginOfUnderstandingDim = "beg_of_und_embed_dim"
        case encoderAlignerIn = "gen_enc_aligner_in_features", encoderAlignerOut = "gen_enc_aligner_out_features"
        case decoderAlignerNormDim = "gen_dec_aligner_norm_dim"
        case decoderAlignerIn = "gen_dec_aligner_in_features", decoderAlignerOut = "gen_dec_aligner_out_features"
        case latentChannels = "gen_latent_channels", latentSize = "gen_latent_size", gridSize = "gen_grid_size"
        case imageTokenCount = "gen_image_token_num"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        modelType = try c.decode(String.self, forKey: .modelType)
        guard modelType == "multi_modality" else {
            throw invalid(c, CodingKeys.modelType, "expected \"multi_modality\" (JanusFlow), got \"\(modelType)\"")
        }
        language = try c.decode(LanguageConfiguration.self, forKey: .language)
        understandingVision = try c.decode(Component<VisionConfiguration>.self, forKey: .understandingVision)
        generationEncoder = try c.decode(Component<ShallowUViTEncoderConfiguration>.self, forKey: .generationEncoder)
        generationDecoder = try c.decode(Component<ShallowUViTDecoderConfiguration>.self, forKey: .generationDecoder)
        torchDtype = try c.decodeIfPresent(String.self, forKey: .torchDtype)
        func size(_ key: CodingKeys, real: Int) throws -> Int {
            let value = try c.decodeIfPresent(Int.self, forKey: key) ?? real
            guard value > 0 else { throw invalid(c, key, "must be positive, got \(value)") }
            return value
        }
        // Real JanusFlow-1.3B values (modeling_vlm.py, demo/app_janusflow.py).
        understandingAlignerIn = try size(.understandingAlignerIn, real: 1024)
        understandingAlignerOut = try size(.understandingAlignerOut, real: 2048)
        beginOfUnderstandingDim = try size(.beginOfUnderstandingDim, real: 2048)
        encoderAlignerIn = try size(.encoderAlignerIn, real: 768)
        encoderAlignerOut = try size(.encoderAlignerOut, real: 2048)
        decoderAlignerNormDim = try size(.decoderAlignerNormDim, real: 2048)
        decoderAlignerIn = try size(.decoderAlignerIn, real: 2048)
        decoderAlignerOut = try size(.decoderAlignerOut, real: 768)
        latentChannels = try size(.latentChannels, real: 4)
        latentSize = try size(.latentSize, real: 48)
        gridSize = try size(.gridSize, real: 24)
        imageTokenCount = try size(.imageTokenCount, real: 576)
        try checkConsistency(c)
    }

    /// The parts exchange tensors whose widths must agree; a mismatch here would
    /// otherwise surface as a shape error deep inside a forward pass.
    private func checkConsistency(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        let hidden = language.hiddenSize
        let (encoder, decoder) = (generationEncoder.params, generationDecoder.params)
        let checks: [(CodingKeys, String, Bool)] = [
            (.understandingAlignerIn, "\(understandingAlignerIn) ≠ SigLIP width \(understandingVision.params.width)",
             understandingAlignerIn == understandingVision.params.width),
            (.understandingAlignerOut, "\(understandingAlignerOut) ≠ hidden_size \(hidden)", understandingAlignerOut == hidden),
            (.beginOfUnderstandingDim, "\(beginOfUnderstandingDim) ≠ hidden_size \(hidden)", beginOfUnderstandingDim == hidden),
            (.encoderAlignerIn, "\(encoderAlignerIn) ≠ encoder width \(encoder.width)", encoderAlignerIn == encoder.width),
            (.encoderAlignerOut, "\(encoderAlignerOut) ≠ hidden_size \(hidden)", encoderAlignerOut == hidden),
            (.decoderAlignerNormDim, "\(decoderAlignerNormDim) ≠ hidden_size \(hidden)", decoderAlignerNormDim == hidden),
            (.decoderAlignerIn, "\(decoderAlignerIn) ≠ hidden_size \(hidden)", decoderAlignerIn == hidden),
            (.decoderAlignerOut, "\(decoderAlignerOut) ≠ decoder in_channels \(decoder.inChannels)",
             decoderAlignerOut == decoder.inChannels),
            // t_emb takes the slot of the prompt's last token and conditions both halves.
            (.generationEncoder, "params.hidden_size \(encoder.hiddenSize) ≠ language hidden_size \(hidden)",
             encoder.hiddenSize == hidden),
            (.generationDecoder, "params.hidden_size \(decoder.hiddenSize) ≠ encoder hidden_size \(encoder.hiddenSize)",
             decoder.hiddenSize == encoder.hiddenSize),
            (.generationDecoder, "params.block_out_channels \(decoder.blockOutChannels) do not match the encoder's skip width \(encoder.width)",
             decoder.skipWidth == encoder.width),
            (.latentChannels, "\(latentChannels) ≠ encoder input_channels \(encoder.inputChannels)",
             latentChannels == encoder.inputChannels),
            (.latentChannels, "\(latentChannels) ≠ decoder out_channels \(decoder.outChannels)",
             latentChannels == decoder.outChannels),
            (.gridSize, "\(gridSize) ≠ the encoder's grid \(encoder.gridSize(latentSize: latentSize)) for latent size \(latentSize)",
             gridSize == encoder.gridSize(latentSize: latentSize)),
            (.gridSize, "\(gridSize) × 2^\(decoder.upsamples) (decoder upsamples) ≠ latent size \(latentSize)",
             gridSize << decoder.upsamples == latentSize),
            (.imageTokenCount, "\(imageTokenCount) ≠ gen_grid_size² \(gridSize * gridSize)", imageTokenCount == gridSize * gridSize),
        ]
        if let failed = checks.first(where: { !$0.2 }) { throw invalid(c, failed.0, failed.1) }
    }

    /// Reads `config.json` from a checkpoint directory.
    public static func load(directory: String) throws -> JanusFlowConfiguration {
        try decodeConfigurationFile(JanusFlowConfiguration.self,
                                    at: URL(fileURLWithPath: directory).appendingPathComponent("config.json"))
    }
}
