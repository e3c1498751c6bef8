import JanusTensor
import Synchronization

/// A `Linear` that takes its final form (an int8 or a resident copy, as its `Weights`
/// ask) on first use, for a layer some jobs never run: image generation never reads the
/// text head, a `[vocab, hidden]` weight as large as a tenth of the model, so it stays a
/// view into the checkpoint and costs no memory until a question is answered.
///
/// The weight's key and shape are checked when the layer is made, as for `Linear`.
public final class LazyLinear: Sendable {
    private let stored: Tensor
    private let bias: Tensor?
    private let weights: Weights
    private let prepared = Mutex<Linear?>(nil)

    public init(_ weights: Weights, in inFeatures: Int, out outFeatures: Int, bias hasBias: Bool = true) throws {
        stored = try weights("weight", shape: [outFeatures, inFeatures])
        bias = hasBias ? try weights("bias", shape: [outFeatures]) : nil
        self.weights = weights
    }

    /// The layer in its final form, made on the first call.
    public var linear: Linear {
        prepared.withLock { layer in
            if let layer { return layer }
            let made = Linear(stored: stored, bias: bias, weights: weights)
            layer = made
            return made
        }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { linear(x) }

    /// Whether the first call has happened (tests).
    var isPrepared: Bool { prepared.withLock { $0 != nil } }
}
