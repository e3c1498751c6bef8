import JanusCheckpoint
import JanusTensor

/// Where model weights come from: a checkpoint directory, or tensors built in memory
/// (random weights at real shapes for benchmarks, tiny models for tests).
public protocol WeightProvider: Sendable {
    func tensor(_ name: String, shape: [Int]) throws -> Tensor
    func contains(_ name: String) -> Bool
    /// Says that `tensor` (the tensor `name`) has been turned into another form (an int8
    /// copy) and will not be read again, so its memory can go. Reading it later must
    /// still work, only slower.
    func release(_ name: String, tensor: Tensor)
}

extension WeightProvider {
    /// By default: drop the tensor's resident pages if it is a view into a mapped file
    /// (a checkpoint); memory the provider allocated goes when the last reference does.
    public func release(_ name: String, tensor: Tensor) { tensor.dropResidentFilePages() }
}

extension Checkpoint: WeightProvider {}

/// Weights held in memory under checkpoint-style names.
public struct InMemoryWeights: WeightProvider {
    public var tensors: [String: Tensor]

    public init(_ tensors: [String: Tensor] = [:]) { self.tensors = tensors }

    public func contains(_ name: String) -> Bool { tensors[name] != nil }

    public func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        guard let tensor = tensors[name] else {
            throw CheckpointError(file: "<memory>", key: name, reason: "tensor not found")
        }
        guard tensor.shape == shape else {
            throw CheckpointError(file: "<memory>", key: name, reason: "shape \(tensor.shape), expected \(shape)")
        }
        return tensor
    }
}

/// A checkpoint seen through a key prefix, so a module loads `q_proj.weight` and the
/// caller decides it lives under `language_model.model.layers.3.self_attn`.
/// Loading is a mapping from module fields to keys, never a search.
public struct Weights: Sendable {
    public let provider: any WeightProvider
    public let prefix: String
    /// How the `Linear` layers loaded through these weights (and their scopes) hold them.
    public let linearFormat: LinearWeightFormat
    /// Whether those layers copy a weight that is a view into a mapped checkpoint into
    /// memory of their own (huge pages, see `Linear`): set for the language model,
    /// whose weights every token streams.
    public let residentLinears: Bool

    public init(_ provider: any WeightProvider, prefix: String = "", linearFormat: LinearWeightFormat = .stored,
                residentLinears: Bool = false) {
        self.provider = provider
        self.prefix = prefix
        self.linearFormat = linearFormat
        self.residentLinears = residentLinears
    }

    /// The weights under `prefix.component`.
    public func scoped(_ component: String) -> Weights {
        Weights(provider, prefix: key(component), linearFormat: linearFormat, residentLinears: residentLinears)
    }

    /// The same weights with their `Linear` layers loaded as `format` and held resident:
    /// how the language model loads the layers that each token streams.
    public func loadingLinears(as format: LinearWeightFormat) -> Weights {
        Weights(provider, prefix: prefix, linearFormat: format, residentLinears: true)
    }

    public func scoped(_ component: Int) -> Weights { scoped(String(component)) }

    public func key(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }

    public func contains(_ name: String) -> Bool { provider.contains(key(name)) }

    /// The tensor `name` with exactly `shape`, or an error naming the key and the file.
    public func callAsFunction(_ name: String, shape: [Int]) throws -> Tensor {
        try provider.tensor(key(name), shape: shape)
    }

    /// Tells the provider that `tensor` (loaded as `name`) is no longer needed as stored.
    public func release(_ name: String, tensor: Tensor) {
        provider.release(key(name), tensor: tensor)
    }
}
