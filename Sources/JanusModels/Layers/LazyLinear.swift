import JanusTensor
import Synchronization

/// A `Linear` that takes its final form (an int8 or a resident copy, as its `Weights`
/// ask) on first use, for a layer some jobs never run: image generation never reads the
/// text head, a `[vocab, hidden]` weight as large as a tenth of the model, so it stays a
/// view into the checkpoint and costs no memory until a question is answered.
///
/// The weight's key and shape are checked when the layer is made, as for `Linear`.
public final class LazyLinear: Sendable {
    private enum State {
        /// The stored weight and bias, not touched yet.
        case pending(weight: Tensor, bias: Tensor?)
        case prepared(Linear)
    }

    private let weights: Weights
    /// Once prepared, the stored weight is no longer referenced here, so memory a
    /// provider allocated for it (not a mapping) can go with the int8 copy's making.
    private let state: Mutex<State>

    public init(_ weights: Weights, in inFeatures: Int, out outFeatures: Int, bias hasBias: Bool = true) throws {
        state = Mutex(.pending(weight: try weights("weight", shape: [outFeatures, inFeatures]),
                               bias: hasBias ? try weights("bias", shape: [outFeatures]) : nil))
        self.weights = weights
    }

    /// The layer in its final form, made on the first call.
    public var linear: Linear {
        state.withLock { state in
            switch state {
            case .prepared(let layer):
                return layer
            case .pending(let weight, let bias):
                let layer = Linear(stored: weight, bias: bias, weights: weights)
                state = .prepared(layer)
                return layer
            }
        }
    }

    public func callAsFunction(_ x: Tensor) -> Tensor { linear(x) }

    /// Whether the first call has happened (tests).
    var isPrepared: Bool {
        state.withLock { if case .prepared = $0 { true } else { false } }
    }
}
