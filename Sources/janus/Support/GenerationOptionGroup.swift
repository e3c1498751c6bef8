import ArgumentParser
import Foundation
import JanusModels
import JanusWire

/// What every image-generation command takes (`generate`, `submit generate`).
struct GenerationOptionGroup: ParsableArguments {
    @Option(help: "What to draw. It is wrapped in the model's chat template like the reference does.")
    var prompt: String

    @Option(help: "Images to generate in parallel (1…64).")
    var count = 1

    @Option(help: "Classifier-free guidance weight (default 5 for Janus-Pro, 2 for JanusFlow).")
    var cfg: Float?

    @Option(help: "Random seed; the same seed gives the same images. Random when omitted (and printed).")
    var seed: UInt64?

    @Option(help: "Output directory (created if needed).")
    var out: String

    func validate() throws {
        guard (1...64).contains(count) else { throw ValidationError("--count must be in 1…64, got \(count).") }
        if let cfg, !(cfg.isFinite && cfg >= 0) {
            throw ValidationError("--cfg must be a finite number ≥ 0, got \(cfg).")
        }
        if prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--prompt is empty.")
        }
    }

    /// `--seed`, or a fresh random one (announced unless the run is deterministic anyway).
    func resolvedSeed(announce: Bool) -> UInt64 {
        let chosen = seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        if seed == nil && announce { status("janus: seed \(chosen)") }
        return chosen
    }

    func outputDirectory() throws -> URL {
        let output = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        return output
    }
}

/// How Janus-Pro picks its VQ image tokens.
struct TokenSamplingOptionGroup: ParsableArguments {
    @Option(help: "Janus-Pro: sampling temperature (> 0, default 1).")
    var temperature: Float?

    @Option(help: "Janus-Pro: keep only the K most likely image tokens when sampling (off by default, like the reference).")
    var topK: Int?

    @Option(help: "Janus-Pro: keep the smallest set of tokens whose probability reaches P (off by default).")
    var topP: Float?

    @Flag(help: "Janus-Pro: take the most likely token at every step instead of sampling (deterministic).")
    var greedy = false

    @Option(help: "Janus-Pro: image side in pixels; a multiple of the VQ downsample factor (16). Default: the checkpoint's.")
    var imageSize: Int?

    @Option(help: "Janus-Pro: also write the generated token grids as JSON (one array of ints per image).")
    var dumpTokens: String?

    func validate() throws {
        if let temperature, !(temperature.isFinite && temperature > 0) {
            throw ValidationError("--temperature must be > 0, got \(temperature).")
        }
        if let topK, topK < 1 { throw ValidationError("--top-k must be ≥ 1, got \(topK).") }
        if let topP, !(topP > 0 && topP <= 1) { throw ValidationError("--top-p must be in (0, 1], got \(topP).") }
        if let imageSize, imageSize <= 0 { throw ValidationError("--image-size must be positive, got \(imageSize).") }
    }

    /// Which of these options were given, for refusing them where they do not apply.
    var given: [(String, Bool)] {
        [("--temperature", temperature != nil), ("--top-k", topK != nil), ("--top-p", topP != nil),
         ("--greedy", greedy), ("--image-size", imageSize != nil), ("--dump-tokens", dumpTokens != nil)]
    }

    var sampling: SamplingOptions {
        SamplingOptions(temperature: temperature ?? 1, topK: topK, topP: topP, greedy: greedy)
    }

    func wireSampling(seed: UInt64) -> Sampling {
        Sampling(temperature: temperature ?? 1, topK: UInt32(topK ?? 0), topP: topP ?? 0, greedy: greedy, seed: seed)
    }

    func writeTokens(_ grids: [[Int]]) throws {
        if let dumpTokens { try Data(compactJSON(grids).utf8).write(to: URL(fileURLWithPath: dumpTokens)) }
    }
}
