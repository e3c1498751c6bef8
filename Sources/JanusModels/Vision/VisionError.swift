import JanusTensor

/// Why the understanding path refuses an input or a configuration. Pixels may come from
/// a remote caller, so a wrong shape is an error to report, never a crash.
public enum VisionError: Error, Equatable, CustomStringConvertible {
    /// Pixels must be `[B, 3, S, S]` with S the tower's image size.
    case pixelShape(expected: String, got: [Int])
    /// Pixels must be a floating-point tensor.
    case pixelDType(DType)
    /// Only the SigLIP towers of the reference `create_siglip_vit` are implemented.
    case unsupportedModel(String)

    public var description: String {
        switch self {
        case .pixelShape(let expected, let got):
            "pixel values must be \(expected), got \(got)"
        case .pixelDType(let dtype):
            "pixel values must be floating point, got \(dtype)"
        case .unsupportedModel(let name):
            "vision tower \"\(name)\" is not supported (only siglip_* towers)"
        }
    }
}
