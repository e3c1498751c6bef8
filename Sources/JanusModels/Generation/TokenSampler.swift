import JanusTensor

/// How the next token is chosen from logits. The reference samples from
/// `softmax(logits / temperature)` with neither top-k nor top-p; `greedy` takes the
/// argmax (the golden tests' mode).
public struct SamplingOptions: Sendable, Equatable {
    public var temperature: Float
    public var topK: Int?
    public var topP: Float?
    public var greedy: Bool

    public init(temperature: Float = 1, topK: Int? = nil, topP: Float? = nil, greedy: Bool = false) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.greedy = greedy
    }

    public static let greedy = SamplingOptions(greedy: true)

    /// Refuses values the sampler cannot honour, naming the option.
    public func validate() throws {
        guard temperature.isFinite, temperature > 0 else {
            throw GenerationError.invalidOption("temperature must be > 0, got \(temperature)")
        }
        if let topK, topK < 1 { throw GenerationError.invalidOption("top-k must be ≥ 1, got \(topK)") }
        if let topP, !(topP > 0 && topP <= 1) {
            throw GenerationError.invalidOption("top-p must be in (0, 1], got \(topP)")
        }
    }
}

/// Draws tokens from rows of logits with one seeded random stream.
public struct TokenSampler: Sendable {
    public let options: SamplingOptions
    private var random: RandomSource

    public init(options: SamplingOptions, seed: UInt64) {
        self.options = options
        random = RandomSource(seed: seed)
    }

    /// One token per row of `logits` `[rows, vocab]`.
    public mutating func sample(_ logits: Tensor) -> [Int] {
        if options.greedy { return argmax(logits) }
        let probabilities = softmax(logits, temperature: options.temperature)
        let vocabulary = logits.shape[1]
        let values = probabilities.floats()
        return (0..<logits.shape[0]).map { row in
            draw(from: values[(row * vocabulary)..<((row + 1) * vocabulary)])
        }
    }

    private mutating func draw(from probabilities: ArraySlice<Float>) -> Int {
        let base = probabilities.startIndex
        var candidates = Array(probabilities.indices)
        if options.topK != nil || options.topP != nil {
            // Stable order: equal probabilities keep the lower index first.
            candidates.sort { probabilities[$0] != probabilities[$1] ? probabilities[$0] > probabilities[$1] : $0 < $1 }
            if let k = options.topK { candidates = Array(candidates.prefix(k)) }
            if let p = options.topP {
                var cumulative = 0.0
                var kept = 0
                for index in candidates {
                    kept += 1
                    cumulative += Double(probabilities[index])
                    if cumulative >= Double(p) { break }
                }
                candidates = Array(candidates.prefix(kept))
            }
        }
        let total = candidates.reduce(0.0) { $0 + Double(probabilities[$1]) }
        let target = random.nextUnit() * total
        var cumulative = 0.0
        for index in candidates {
            cumulative += Double(probabilities[index])
            if target < cumulative { return index - base }
        }
        // Rounding left the target past the last bucket: take the last candidate with mass.
        return (candidates.last { probabilities[$0] > 0 } ?? candidates[0]) - base
    }
}
