import JanusTensor

/// A text-to-image request for JanusFlow as `demo/app_janusflow.py` runs it: the
/// templated prompt's ids (BOS first, ending in `<begin_of_image>`), `count` images in
/// parallel, `steps` Euler steps of the rectified-flow ODE, CFG weight `cfgWeight`.
public struct FlowGenerationRequest: Sendable {
    /// The demo's defaults.
    public static let defaultSteps = 30
    public static let defaultCFGWeight: Float = 2

    public var promptIDs: [Int]
    public var count: Int
    public var cfgWeight: Float
    public var steps: Int
    /// Seeds the initial noise (`GaussianNoise`) when `initialLatents` is nil.
    public var seed: UInt64
    /// The starting point `[count, C, L, L]` instead of seeded noise (tests feed the
    /// reference's `torch.randn` draw here).
    public var initialLatents: Tensor?

    public init(promptIDs: [Int], count: Int = 1, cfgWeight: Float = defaultCFGWeight, steps: Int = defaultSteps,
                seed: UInt64 = 0, initialLatents: Tensor? = nil) {
        self.promptIDs = promptIDs
        self.count = count
        self.cfgWeight = cfgWeight
        self.steps = steps
        self.seed = seed
        self.initialLatents = initialLatents
    }
}

/// What one ODE step produced, for progress reporting and parity checks.
public struct FlowGenerationStep: Sendable {
    public let index: Int
    /// `t = index / steps · 1000`.
    public let timestep: Float
    /// Velocities of the conditional and the unconditional rows `[count, C, L, L]`.
    public let conditional: Tensor
    public let unconditional: Tensor
    /// `w · v_cond − (w − 1) · v_uncond`.
    public let velocity: Tensor
    /// The latents after this step.
    public let latents: Tensor
}
