import Foundation
import JanusTensor

/// How the language model's linear layers hold their weights once loaded.
///
/// - `stored`: as the checkpoint has them (bf16 / f16 / f32), the parity path.
/// - `int8`: quantised at load, symmetric per block of 32 along K (`Int8BlockWeight`).
///   Layers whose K is not a whole number of blocks stay as stored.
public enum LinearWeightFormat: String, Sendable, CaseIterable {
    case stored, int8

    /// The format `LanguageModel` loads its linear layers in. Process-wide, like
    /// `ComputeMode.processDefault`, so the CLI sets it once before loading and every
    /// loader (single process or a pipeline stage) follows.
    public static var languageModelDefault: LinearWeightFormat {
        get { defaultFormat.withLock { $0 } }
        set { defaultFormat.withLock { $0 = newValue } }
    }

    private static let defaultFormat = LockedFormat(.stored)
}

/// A value behind a lock (Foundation's, so this builds on every platform the package supports).
private final class LockedFormat: @unchecked Sendable {
    private let lock = NSLock()
    private var value: LinearWeightFormat

    init(_ value: LinearWeightFormat) { self.value = value }

    func withLock<Result>(_ body: (inout LinearWeightFormat) -> Result) -> Result {
        lock.lock()
        defer { lock.unlock() }
        return body(&value)
    }
}
