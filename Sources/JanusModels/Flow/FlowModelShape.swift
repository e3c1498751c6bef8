import Foundation

/// Published JanusFlow sizes (with the VAE they decode with), for benchmarks with
/// synthetic weights at real shapes. Kept apart from `ModelShape`, whose users expect
/// Janus-Pro configurations.
public enum FlowModelShape: String, CaseIterable, Sendable {
    /// deepseek-ai/JanusFlow-1.3B with stabilityai/sdxl-vae.
    case janusFlow1_3B = "janusflow-1.3b"
    /// The shapes of the golden test checkpoints (10×10 latents, 5×5 tokens).
    case tiny

    public var configuration: JanusFlowConfiguration {
        get throws {
            try decodeConfiguration(JanusFlowConfiguration.self, from: Data(configJSON.utf8), file: "<\(rawValue)>")
        }
    }

    public var vaeConfiguration: AutoencoderKLConfiguration {
        get throws {
            switch self {
            case .janusFlow1_3B: try AutoencoderKLConfiguration.sdxl
            case .tiny:
                try decodeConfiguration(AutoencoderKLConfiguration.self, from: Data(Self.tinyVAEJSON.utf8), file: "<tiny-vae>")
            }
        }
    }

    /// config.json text. The real file omits the top-level widths and latent sizes
    /// (their defaults are the real values); the ShallowUViT params are all present.
    public var configJSON: String {
        switch self {
        case .janusFlow1_3B:
            Self.janusFlow(hidden: 2048, intermediate: 5632, layers: 24, heads: 16, vocabulary: 102400, visionParams: """
                {"image_size": 384, "model_name": "siglip_large_patch16_384", "select_feature": "same", "select_layer": -1}
                """, encoderWidth: 768, decoderInput: 768, extras: "")
        case .tiny:
            Self.janusFlow(hidden: 64, intermediate: 176, layers: 3, heads: 4, vocabulary: 3072, visionParams: """
                {"image_size": 96, "model_name": "siglip_large_patch16_384", "select_feature": "same", "select_layer": -1,
                 "width": 48, "layers": 2, "heads": 4, "mlp_ratio": 4.0, "patch_size": 16}
                """, encoderWidth: 32, decoderInput: 48, extras: """
                "und_aligner_in_features": 48, "und_aligner_out_features": 64, "beg_of_und_embed_dim": 64,
                "gen_enc_aligner_in_features": 32, "gen_enc_aligner_out_features": 64, "gen_dec_aligner_norm_dim": 64,
                "gen_dec_aligner_in_features": 64, "gen_dec_aligner_out_features": 48,
                "gen_latent_channels": 4, "gen_latent_size": 10, "gen_grid_size": 5, "gen_image_token_num": 25,
                """)
        }
    }

    private static func janusFlow(hidden: Int, intermediate: Int, layers: Int, heads: Int, vocabulary: Int,
                                  visionParams: String, encoderWidth: Int, decoderInput: Int, extras: String) -> String {
        """
        {
          "architectures": ["MultiModalityCausalLM"],
          "language_config": {"hidden_size": \(hidden), "intermediate_size": \(intermediate),
            "max_position_embeddings": 16384, "model_type": "llama", "num_attention_heads": \(heads),
            "num_hidden_layers": \(layers), "num_key_value_heads": \(heads), "torch_dtype": "bfloat16",
            "vocab_size": \(vocabulary)},
          "model_type": "multi_modality",
          "torch_dtype": "bfloat16",
          \(extras)
          "vision_gen_dec_config": {"cls": "ShallowUViTDecoder", "model_type": "vision_gen_dec",
            "params": {"block_out_channels": [\(encoderWidth)], "elementwise_affine": true, "hidden_size": \(hidden),
                       "in_channels": \(decoderInput), "layers_in_middle": 2, "norm_eps": 1e-06, "out_channels": 4,
                       "upsamples": 1, "use_bias": true, "use_mid_block": true}},
          "vision_gen_enc_config": {"cls": "ShallowUViTEncoder", "model_type": "vision_gen_enc",
            "params": {"block_out_channels": [\(encoderWidth)], "elementwise_affine": true, "hidden_size": \(hidden),
                       "input_channels": 4, "kernel_size": 2, "layers_in_middle": 2, "norm_eps": 1e-06, "padding": 0,
                       "stride": 2, "use_bias": true, "use_mid_block": true}},
          "vision_und_enc_config": {"cls": "CLIPVisionTower", "model_type": "vision_und_enc",
            "params": \(visionParams)}
        }
        """
    }

    /// The tiny golden VAE: SDXL-VAE's layout with narrower blocks.
    private static let tinyVAEJSON = """
        {"_class_name": "AutoencoderKL", "act_fn": "silu", "block_out_channels": [32, 64, 128, 128],
         "in_channels": 3, "latent_channels": 4, "layers_per_block": 2, "norm_num_groups": 32, "out_channels": 3,
         "sample_size": 80, "scaling_factor": 0.13025,
         "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"]}
        """
}
