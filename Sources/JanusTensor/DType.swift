/// Element types a tensor can hold. The raw values are the names used in errors,
/// in `janus inspect` and on the wire.
public enum DType: String, Sendable, CaseIterable, Codable {
    case f32, f16, bf16, i64, i32, i8, u8

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .f32, .i32: 4
        case .f16, .bf16: 2
        case .i64: 8
        case .i8, .u8: 1
        }
    }

    public var isFloatingPoint: Bool {
        switch self {
        case .f32, .f16, .bf16: true
        case .i64, .i32, .i8, .u8: false
        }
    }
}
