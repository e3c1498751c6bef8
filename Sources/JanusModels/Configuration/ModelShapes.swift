import Foundation

/// Published model sizes, for benchmarks with synthetic weights at real shapes and for
/// the untrained default model. Each is the `config.json` of the release.
public enum ModelShape: String, CaseIterable, Sendable {
    case janusPro1B = "janus-pro-1b"
    case janusPro7B = "janus-pro-7b"
    /// The shapes of the golden test checkpoint, with 384px generation (24×24 tokens).
    case tiny

    public var configuration: JanusConfiguration {
        get throws { try decodeConfiguration(JanusConfiguration.self, from: Data(configJSON.utf8), file: "<\(rawValue)>") }
    }

    /// config.json text, as published (the size keys real configs omit stay omitted).
    public var configJSON: String {
        switch self {
        case .janusPro1B: Self.janusPro(hidden: 2048, intermediate: 5632, layers: 24, heads: 16)
        case .janusPro7B: Self.janusPro(hidden: 4096, intermediate: 11008, layers: 30, heads: 32)
        case .tiny: Self.tinyJSON
        }
    }

    private static func janusPro(hidden: Int, intermediate: Int, layers: Int, heads: Int) -> String {
        """
        {
          "aligner_config": {"cls": "MlpProjector", "model_type": "aligner",
            "params": {"depth": 2, "input_dim": 1024, "n_embed": \(hidden), "projector_type": "mlp_gelu"}},
          "architectures": ["MultiModalityCausalLM"],
          "gen_aligner_config": {"cls": "MlpProjector", "model_type": "gen_aligner",
            "params": {"depth": 2, "input_dim": 8, "n_embed": \(hidden), "projector_type": "mlp_gelu"}},
          "gen_head_config": {"cls": "vision_head", "model_type": "gen_head",
            "params": {"image_token_embed": \(hidden), "image_token_size": 16384, "n_embed": \(hidden)}},
          "gen_vision_config": {"cls": "VQ-16", "model_type": "gen_vision",
            "params": {"image_token_size": 16384, "n_embed": 8}},
          "language_config": {"hidden_size": \(hidden), "intermediate_size": \(intermediate),
            "max_position_embeddings": 16384, "model_type": "llama", "num_attention_heads": \(heads),
            "num_hidden_layers": \(layers), "num_key_value_heads": \(heads), "torch_dtype": "bfloat16",
            "vocab_size": 102400},
          "model_type": "multi_modality",
          "torch_dtype": "bfloat16",
          "transformers_version": "4.33.1",
          "vision_config": {"cls": "CLIPVisionTower", "model_type": "vision",
            "params": {"image_size": 384, "model_name": "siglip_large_patch16_384",
                       "select_feature": "same", "select_layer": -1}}
        }
        """
    }

    private static let tinyJSON = """
        {
          "aligner_config": {"cls": "MlpProjector", "model_type": "aligner",
            "params": {"depth": 2, "input_dim": 64, "n_embed": 64, "projector_type": "mlp_gelu"}},
          "architectures": ["MultiModalityCausalLM"],
          "gen_aligner_config": {"cls": "MlpProjector", "model_type": "gen_aligner",
            "params": {"depth": 2, "input_dim": 8, "n_embed": 64, "projector_type": "mlp_gelu"}},
          "gen_head_config": {"cls": "vision_head", "model_type": "gen_head",
            "params": {"image_token_embed": 64, "image_token_size": 512, "n_embed": 64}},
          "gen_vision_config": {"cls": "VQ-16", "model_type": "gen_vision",
            "params": {"image_token_size": 512, "n_embed": 8, "ch": 32, "ch_mult": [1, 1, 2, 2, 4],
                       "z_channels": 32, "num_res_blocks": 2, "image_size": 384}},
          "language_config": {"hidden_size": 64, "intermediate_size": 176, "max_position_embeddings": 16384,
            "model_type": "llama", "num_attention_heads": 4, "num_hidden_layers": 3,
            "num_key_value_heads": 4, "torch_dtype": "bfloat16", "vocab_size": 3072},
          "model_type": "multi_modality",
          "torch_dtype": "bfloat16",
          "transformers_version": "4.33.1",
          "vision_config": {"cls": "CLIPVisionTower", "model_type": "vision",
            "params": {"image_size": 96, "model_name": "siglip_large_patch16_384",
                       "select_feature": "same", "select_layer": -1,
                       "width": 64, "layers": 2, "heads": 4, "mlp_ratio": 4.0, "patch_size": 16}}
        }
        """
}
