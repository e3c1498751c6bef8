import Foundation

/// Which member of the family (or which companion) a directory holds, told from its
/// `config.json` alone, so a command can pick the right loader and refuse a wrong
/// pairing before any weights are read.
public enum ModelKind: String, Sendable, Equatable, CustomStringConvertible {
    /// Janus / Janus-Pro: VQ-16 image tokens (`gen_vision_config`).
    case janus
    /// JanusFlow: rectified flow with ShallowUViT (`vision_gen_enc_config`).
    case janusFlow
    /// A diffusers `AutoencoderKL` (the SDXL-VAE that decodes JanusFlow latents).
    case vae

    public var description: String {
        switch self {
        case .janus: "a Janus / Janus-Pro checkpoint (VQ image tokens)"
        case .janusFlow: "a JanusFlow checkpoint (rectified flow)"
        case .vae: "a diffusers AutoencoderKL (VAE)"
        }
    }

    /// Reads `directory/config.json` and classifies it; anything else is an error
    /// naming the file.
    public static func detect(directory: String) throws -> ModelKind {
        let url = URL(fileURLWithPath: directory).appendingPathComponent("config.json")
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConfigurationError(file: url.path, reason: "cannot read (\(error.localizedDescription))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ConfigurationError(file: url.path, reason: "not a JSON object")
        }
        if let className = object["_class_name"] as? String {
            guard className == "AutoencoderKL" else {
                throw ConfigurationError(file: url.path, key: "_class_name",
                                         reason: "a diffusers \(className), not an AutoencoderKL")
            }
            return .vae
        }
        guard object["model_type"] as? String == "multi_modality" else {
            throw ConfigurationError(file: url.path, key: "model_type",
                                     reason: "neither a Janus / JanusFlow checkpoint (\"multi_modality\") nor a diffusers VAE")
        }
        if object["vision_gen_enc_config"] != nil || object["vision_gen_dec_config"] != nil { return .janusFlow }
        if object["gen_vision_config"] != nil { return .janus }
        throw ConfigurationError(file: url.path,
                                 reason: "a multi_modality config with neither gen_vision_config (Janus) nor vision_gen_enc_config (JanusFlow)")
    }
}
