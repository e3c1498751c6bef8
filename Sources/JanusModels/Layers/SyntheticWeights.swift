import Foundation
import JanusCheckpoint
import JanusTensor

/// Weights invented on request, for benchmarks at real shapes and for the untrained
/// default model. Loading a model through this provider asks for exactly the tensors
/// the model code uses, at exactly their shapes, so nothing lists names twice.
///
/// Values are deterministic in (seed, name): normalisation weights are 1, biases 0,
/// everything else uniform with standard deviation `scale` (like a fresh
/// `nn.Linear`-style init), stored in `dtype`.
public final class SyntheticWeights: WeightProvider, @unchecked Sendable {
    public let seed: UInt64
    public let dtype: DType
    public let scale: Float
    /// Whether released tensors (quantised by `--weights int8`) stay in `tensors`. The
    /// default model keeps them, to write them out; benchmarks drop them, so their peak
    /// RSS is what a mapped checkpoint would cost.
    public let keepsReleasedTensors: Bool
    private let lock = NSLock()
    private var made: [String: Tensor] = [:]

    public init(seed: UInt64 = 0, dtype: DType = .bf16, scale: Float = 0.02, keepsReleasedTensors: Bool = true) {
        precondition(dtype.isFloatingPoint, "SyntheticWeights: \(dtype) is not a float dtype")
        self.seed = seed
        self.dtype = dtype
        self.scale = scale
        self.keepsReleasedTensors = keepsReleasedTensors
    }

    /// Every tensor handed out so far, sorted by name.
    public var tensors: [(name: String, tensor: Tensor)] {
        lock.withLock { made.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    }

    public func contains(_ name: String) -> Bool { true }

    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        if let existing = lock.withLock({ made[name] }) {
            guard existing.shape == shape else {
                throw CheckpointError(file: "<synthetic>", key: name,
                                      reason: "requested as \(shape), earlier as \(existing.shape)")
            }
            return existing
        }
        let tensor = Self.values(for: name, shape: shape, seed: seed, scale: scale).converted(to: dtype)
        lock.withLock { made[name] = tensor }
        return tensor
    }

    /// Forgets `name` unless `keepsReleasedTensors` (a later request makes it again, the same).
    public func release(_ name: String, tensor: Tensor) {
        if !keepsReleasedTensors { _ = lock.withLock { made.removeValue(forKey: name) } }
    }

    static func values(for name: String, shape: [Int], seed: UInt64, scale: Float) -> Tensor {
        let count = shape.reduce(1, *)
        let leaf = name.split(separator: ".").suffix(2).joined(separator: ".")
        if leaf.hasSuffix("bias") { return Tensor(zeros: shape) }
        if leaf.hasSuffix(".weight") && leaf.contains("norm") {
            return Tensor(shape: shape, [Float](repeating: 1, count: count))
        }
        var random = RandomSource(seed: seed ^ fnv1a(name))
        let halfWidth = Double(scale) * 3.0.squareRoot()  // uniform(−a, a) has std a/√3
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count { buffer[index] = Float((random.nextUnit() * 2 - 1) * halfWidth) }
            initialized = count
        }
        return Tensor(shape: shape, values)
    }

    /// A hash that is the same in every process (Swift's `hashValue` is seeded per run).
    private static func fnv1a(_ text: String) -> UInt64 {
        text.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
