import Foundation

/// `config.json` of a diffusers `AutoencoderKL` directory (the SDXL-VAE that JanusFlow
/// decodes with). Only the decoder half is used; the keys it needs are decoded into
/// typed values and an absent key takes the `stabilityai/sdxl-vae` value.
public struct AutoencoderKLConfiguration: Decodable, Sendable, Equatable {
    public var className: String
    public var outChannels: Int
    public var latentChannels: Int
    /// Encoder order; the decoder walks it backwards (widest first).
    public var blockOutChannels: [Int]
    /// Resnets per encoder block; every decoder block has one more.
    public var layersPerBlock: Int
    public var normNumGroups: Int
    public var upBlockTypes: [String]
    public var actFn: String
    public var sampleSize: Int
    /// The flow's latents are `z`; the decoder sees `z / scaling_factor`.
    public var scalingFactor: Float
    public var usePostQuantConv: Bool
    public var midBlockAddAttention: Bool

    /// Pixels per latent along each side: one ×2 upsample per decoder block but the last.
    public var upsamplingFactor: Int { 1 << (blockOutChannels.count - 1) }

    enum CodingKeys: String, CodingKey {
        case className = "_class_name", outChannels = "out_channels", latentChannels = "latent_channels"
        case blockOutChannels = "block_out_channels", layersPerBlock = "layers_per_block"
        case normNumGroups = "norm_num_groups", upBlockTypes = "up_block_types", actFn = "act_fn"
        case sampleSize = "sample_size", scalingFactor = "scaling_factor", shiftFactor = "shift_factor"
        case usePostQuantConv = "use_post_quant_conv", midBlockAddAttention = "mid_block_add_attention"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        className = try c.decodeIfPresent(String.self, forKey: .className) ?? "AutoencoderKL"
        guard className == "AutoencoderKL" else {
            throw invalid(c, CodingKeys.className, "expected \"AutoencoderKL\" (a diffusers VAE), got \"\(className)\"")
        }
        outChannels = try c.decodeIfPresent(Int.self, forKey: .outChannels) ?? 3
        latentChannels = try c.decodeIfPresent(Int.self, forKey: .latentChannels) ?? 4
        blockOutChannels = try c.decodeIfPresent([Int].self, forKey: .blockOutChannels) ?? [128, 256, 512, 512]
        layersPerBlock = try c.decodeIfPresent(Int.self, forKey: .layersPerBlock) ?? 2
        normNumGroups = try c.decodeIfPresent(Int.self, forKey: .normNumGroups) ?? 32
        upBlockTypes = try c.decodeIfPresent([String].self, forKey: .upBlockTypes)
            ?? Array(repeating: "UpDecoderBlock2D", count: blockOutChannels.count)
        actFn = try c.decodeIfPresent(String.self, forKey: .actFn) ?? "silu"
        sampleSize = try c.decodeIfPresent(Int.self, forKey: .sampleSize) ?? 1024
        scalingFactor = try c.decodeIfPresent(Float.self, forKey: .scalingFactor) ?? 0.13025
        usePostQuantConv = try c.decodeIfPresent(Bool.self, forKey: .usePostQuantConv) ?? true
        midBlockAddAttention = try c.decodeIfPresent(Bool.self, forKey: .midBlockAddAttention) ?? true

        try requirePositive(c, [(.outChannels, outChannels), (.latentChannels, latentChannels),
                                (.layersPerBlock, layersPerBlock), (.normNumGroups, normNumGroups)])
        guard !blockOutChannels.isEmpty, blockOutChannels.allSatisfy({ $0 > 0 && $0 % normNumGroups == 0 }) else {
            throw invalid(c, CodingKeys.blockOutChannels,
                          "must be positive multiples of norm_num_groups \(normNumGroups), got \(blockOutChannels)")
        }
        guard upBlockTypes.count == blockOutChannels.count, upBlockTypes.allSatisfy({ $0 == "UpDecoderBlock2D" }) else {
            throw invalid(c, CodingKeys.upBlockTypes,
                          "only \(blockOutChannels.count) × \"UpDecoderBlock2D\" is supported, got \(upBlockTypes)")
        }
        guard actFn == "silu" else { throw invalid(c, CodingKeys.actFn, "only \"silu\" is supported, got \"\(actFn)\"") }
        guard scalingFactor.isFinite, scalingFactor > 0 else {
            throw invalid(c, CodingKeys.scalingFactor, "must be a positive number, got \(scalingFactor)")
        }
        // SD3/Flux-style VAEs shift latents too; the SDXL-VAE has none.
        if c.contains(.shiftFactor), try !c.decodeNil(forKey: .shiftFactor),
           try c.decode(Float.self, forKey: .shiftFactor) != 0 {
            throw invalid(c, CodingKeys.shiftFactor, "a latent shift is not supported (SDXL-VAE has none)")
        }
    }

    /// Reads `config.json` from a VAE directory.
    public static func load(directory: String) throws -> AutoencoderKLConfiguration {
        try decodeConfigurationFile(AutoencoderKLConfiguration.self,
                                    at: URL(fileURLWithPath: directory).appendingPathComponent("config.json"))
    }

    /// `stabilityai/sdxl-vae`'s config.json, for benchmarks at the real shape.
    public static let sdxlJSON = """
        {
          "_class_name": "AutoencoderKL",
          "_diffusers_version": "0.18.0.dev0",
          "_name_or_path": ".",
          "act_fn": "silu",
          "block_out_channels": [128, 256, 512, 512],
          "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D", "DownEncoderBlock2D"],
          "in_channels": 3,
          "latent_channels": 4,
          "layers_per_block": 2,
          "norm_num_groups": 32,
          "out_channels": 3,
          "sample_size": 1024,
          "scaling_factor": 0.13025,
          "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D", "UpDecoderBlock2D"]
        }
        """

    public static var sdxl: AutoencoderKLConfiguration {
        get throws { try decodeConfiguration(AutoencoderKLConfiguration.self, from: Data(sdxlJSON.utf8), file: "<sdxl-vae>") }
    }
}
