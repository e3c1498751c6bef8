import JanusModels

/// What the stages need to know about a JanusFlow generation: how many images, the
/// guidance, the ODE's length and the latents' geometry. The rows are the conditional
/// rows of the images first, then as many unconditional rows (`FlowCFGBatch`).
public struct FlowSequence: Sendable, Equatable {
    public var count: Int
    public var cfgWeight: Float
    /// The unconditional rows' filler (they see BOS alone of the prompt).
    public var padID: Int
    /// Euler steps of the ODE.
    public var steps: Int
    public var latentChannels: Int
    public var latentSize: Int

    public init(count: Int, cfgWeight: Float, padID: Int, steps: Int, latentChannels: Int, latentSize: Int) {
        self.count = count
        self.cfgWeight = cfgWeight
        self.padID = padID
        self.steps = steps
        self.latentChannels = latentChannels
        self.latentSize = latentSize
    }

    /// `[count, C, S, S]`.
    public var latentShape: [Int] { [count, latentChannels, latentSize, latentSize] }

    /// The prompt positions `row` caches once and rewinds to before every ODE step.
    func prefixLength(row: Int, promptTokens: Int) -> Int {
        FlowCFGBatch.visiblePrefixLengths(promptLength: promptTokens, count: count)[row]
    }

    /// Where every row's `t_emb` goes: the prompt's last slot.
    func timeEmbeddingPosition(promptTokens: Int) -> Int { promptTokens - 1 }

    /// The timestep of ODE step `index` (as the single-process sampler computes it).
    func timestep(_ index: Int) -> Float { RectifiedFlowSampler.timestep(step: index, of: steps) }
}
