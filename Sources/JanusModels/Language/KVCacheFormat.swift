import JanusTensor
import Synchronization

/// How KV caches hold keys and values when their maker does not say (`--kv-cache`).
///
/// - `f32`: exact, the parity path (the default under `--compute f32`);
/// - `bf16`: half the bytes, as the reference keeps its cache on GPU (the default under
///   `--compute bf16`);
/// - `int8`: symmetric int8 per block of 32 (16 for narrow heads) with f32 scales, 56%
///   of bf16 at head dimension 128; decode reads it as the f32 values it stands for.
public enum KVCacheFormat: String, Sendable, CaseIterable {
    case f32, bf16, int8

    public var dtype: DType {
        switch self {
        case .f32: .f32
        case .bf16: .bf16
        case .int8: .i8
        }
    }

    /// The format set for this process, nil when it follows the compute mode.
    public static var processChoice: KVCacheFormat? {
        get { choice.withLock { $0 } }
        set { choice.withLock { $0 = newValue } }
    }

    /// The format caches get by default: the process's choice, else bf16 under bf16
    /// compute and f32 otherwise.
    public static var processDefault: KVCacheFormat {
        processChoice ?? (ComputeMode.processDefault == .bf16 ? .bf16 : .f32)
    }

    private static let choice = Mutex<KVCacheFormat?>(nil)

    /// Why a model with heads of `headDim` cannot hold its keys and values this way, or nil.
    public func unsupportedReason(headDim: Int) -> String? {
        guard self == .int8, KVCache.int8Block(headDim: headDim) == nil else { return nil }
        return "an int8 KV cache needs a head dimension that is a multiple of 16; this model's is \(headDim)"
    }
}
