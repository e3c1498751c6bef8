import CJanusKernels

/// How `linear` multiplies activations by weights.
///
/// - `f32`: the activations stay f32 and each product with a (widened) weight is exact;
///   only the f32 sums round. This is the parity mode, the default.
/// - `bf16`: the activations are rounded to bf16 first, as the reference runs on GPU,
///   and the sums stay f32. With bf16 weights on a CPU with AVX512_BF16 the products
///   run on `vdpbf16ps`, twice the multiply rate; elsewhere the rounded values go
///   through the f32 kernels. Results move by about bf16's rounding (2⁻⁹ relative) per
///   activation. Int8 weights (`Int8BlockWeight`) take the activations in two int8
///   parts per block instead (about 15 bits), for `vpdpbusd`.
public enum ComputeMode: String, Sendable, CaseIterable {
    case f32, bf16

    /// The mode of every `linear` call that does not name one. Process-wide, so the CLI
    /// can set it once at start-up; reading it is one relaxed atomic load.
    public static var processDefault: ComputeMode {
        get { janus_default_compute_mode() == JANUS_COMPUTE_BF16 ? .bf16 : .f32 }
        set { janus_set_default_compute_mode(newValue.kernelMode) }
    }

    var kernelMode: janus_compute_mode {
        switch self {
        case .f32: JANUS_COMPUTE_F32
        case .bf16: JANUS_COMPUTE_BF16
        }
    }
}
