import ArgumentParser
import JanusModels
import JanusWire

/// The answer-generation options shared by `ask` and `chat`.
struct AnswerOptionGroup: ParsableArguments {
    @Option(help: "Most tokens to generate.")
    var maxNewTokens = 512

    @Flag(help: "Always take the most likely token (the default unless --temperature or --top-p is given).")
    var greedy = false

    @Option(help: "Sample at this temperature (> 0) instead of taking the most likely token.")
    var temperature: Float?

    @Option(help: "Sample from the smallest set of tokens whose probability reaches P (0 < P ≤ 1).")
    var topP: Float?

    @Option(help: "Random seed for sampling.")
    var seed: UInt64 = 0

    func validate() throws {
        guard maxNewTokens >= 1 else { throw ValidationError("--max-new-tokens must be ≥ 1, got \(maxNewTokens).") }
        if greedy && (temperature != nil || topP != nil) {
            throw ValidationError("--greedy cannot be combined with --temperature or --top-p.")
        }
        if let temperature, !(temperature.isFinite && temperature > 0) {
            throw ValidationError("--temperature must be > 0, got \(temperature).")
        }
        if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1], got \(topP).") }
    }

    func options(stopTokenIDs: Set<Int>) -> AnswerOptions {
        let sampling = temperature == nil && topP == nil
            ? SamplingOptions.greedy
            : SamplingOptions(temperature: temperature ?? 1, topP: topP)
        return AnswerOptions(maxNewTokens: maxNewTokens, sampling: sampling, seed: seed, stopTokenIDs: stopTokenIDs)
    }

    /// The sampling settings as the router takes them.
    func wireSampling() -> Sampling {
        let sample = temperature != nil || topP != nil
        return Sampling(temperature: temperature ?? 1, topP: topP ?? 0, greedy: !sample, seed: seed)
    }
}
