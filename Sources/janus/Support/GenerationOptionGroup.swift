import ArgumentParser
import Foundation
import JanusModels
import JanusWire

/// The image-generation options of `janus generate` and `janus submit generate`.
struct GenerationOptionGroup: ParsableArguments {
    @Option(help: "What to draw. It is wrapped in the model's chat template like the reference does.")
    var prompt: String

    @Option(help: "Images to generate in parallel (1…64).")
    var count = 1

    @Option(help: "Classifier-free guidance weight.")
    var cfg: Float = 5

    @Option(help: "Sampling temperature (> 0).")
    var temperature: Float = 1

    @Option(help: "Keep only the K most likely image tokens when sampling (off by default, like the reference).")
    var topK: Int?

    @Option(help: "Keep the smallest set of tokens whose probability reaches P (off by default).")
    var topP: Float?

    @Option(help: "Random seed; the same seed gives the same images. Random when omitted (and printed).")
    var seed: UInt64?

    @Flag(help: "Take the most likely token at every step instead of sampling (deterministic).")
    var greedy = false

    @Option(help: "Image side in pixels; a multiple of the VQ downsample factor (16). Default: the checkpoint's.")
    var imageSize: Int?

    @Option(help: "Output directory (created if needed).")
    var out: String

    @Option(help: "Also write the generated token grids as JSON (one array of ints per image).")
    var dumpTokens: String?

    func validate() throws {
        guard (1...64).contains(count) else { throw ValidationError("--count must be in 1…64, got \(count).") }
        guard cfg.isFinite, cfg >= 0 else { throw ValidationError("--cfg must be a finite number ≥ 0, got \(cfg).") }
        guard temperature.isFinite, temperature > 0 else {
            throw ValidationError("--temperature must be > 0, got \(temperature).")
        }
        if let topK, topK < 1 { throw ValidationError("--top-k must be ≥ 1, got \(topK).") }
        if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1], got \(topP).") }
        if let imageSize, imageSize <= 0 { throw ValidationError("--image-size must be positive, got \(imageSize).") }
        if prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--prompt is empty.")
        }
    }

    /// `--seed`, or a fresh random one (announced, so the run can be repeated).
    func resolvedSeed() -> UInt64 {
        if let seed { return seed }
        let seed = UInt64.random(in: 0...UInt64(UInt32.max))
        if !greedy { status("janus: seed \(seed)") }
        return seed
    }

    var sampling: SamplingOptions {
        SamplingOptions(temperature: temperature, topK: topK, topP: topP, greedy: greedy)
    }

    /// The request as the router takes it.
    func request(seed: UInt64) -> GenerateRequest {
        GenerateRequest(prompt: prompt, count: UInt32(count), cfgWeight: cfg,
                        sampling: Sampling(temperature: temperature, topK: UInt32(topK ?? 0), topP: topP ?? 0,
                                           greedy: greedy, seed: seed),
                        imageSize: UInt32(imageSize ?? 0))
    }
}
