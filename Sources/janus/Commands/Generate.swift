import ArgumentParser
import Foundation
import JanusCheckpoint
import JanusImage
import JanusInference
import JanusModels
import JanusTensor
import JanusText

/// `janus generate`: text to images in one process, as the reference does it for the
/// checkpoint at hand: VQ image tokens for Janus / Janus-Pro (`generation_inference.py`),
/// a rectified-flow ODE and the SDXL-VAE for JanusFlow (`demo/app_janusflow.py`).
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate images from a text prompt (writes OUT/0.png … OUT/N-1.png).",
        discussion: """
            The checkpoint kind is read from its config.json. JanusFlow checkpoints need --vae
            (a diffusers SDXL-VAE directory) and take --steps; Janus-Pro checkpoints sample VQ
            tokens and take --temperature, --top-k, --top-p, --greedy, --image-size.
            """)

    @OptionGroup var modelOption: ModelOption

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

    // MARK: JanusFlow

    @Option(help: "JanusFlow: the VAE directory (diffusers AutoencoderKL, e.g. stabilityai/sdxl-vae).")
    var vae: String?

    @Option(help: "JanusFlow: Euler steps of the rectified-flow ODE (default 30).")
    var steps: Int?

    @Option(help: "JanusFlow: also write the final latents as safetensors (tensor \"latents\", [N, 4, h, w]).")
    var dumpLatents: String?

    // MARK: Janus-Pro (VQ tokens)

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
        guard (1...64).contains(count) else { throw ValidationError("--count must be in 1…64, got \(count).") }
        if let cfg, !(cfg.isFinite && cfg >= 0) {
            throw ValidationError("--cfg must be a finite number ≥ 0, got \(cfg).")
        }
        if let temperature, !(temperature.isFinite && temperature > 0) {
            throw ValidationError("--temperature must be > 0, got \(temperature).")
        }
        if let steps, !(1...1000).contains(steps) { throw ValidationError("--steps must be in 1…1000, got \(steps).") }
        if let imageSize, imageSize <= 0 { throw ValidationError("--image-size must be positive, got \(imageSize).") }
        if prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--prompt is empty.")
        }
    }

    func run() throws {
        let directory = try modelOption.resolve()
        switch try ModelKind.detect(directory: directory) {
        case .janusFlow: try runFlow(directory: directory)
        case .janus: try runVQ(directory: directory)
        case .vae:
            throw ValidationError("\(directory) is a VAE, not a generation checkpoint: pass it as --vae, "
                                  + "with a JanusFlow checkpoint as --model.")
        }
    }

    /// Options that only one kind of checkpoint understands, refused for the other.
    private func refuse(_ options: [(String, Bool)], for kind: String) throws {
        let given = options.filter(\.1).map(\.0)
        guard given.isEmpty else {
            throw ValidationError("\(given.joined(separator: ", ")) \(given.count == 1 ? "does" : "do") not apply to \(kind).")
        }
    }

    private func resolvedSeed() -> UInt64 {
        let chosen = seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        if seed == nil && !greedy { status("janus: seed \(chosen)") }
        return chosen
    }

    // MARK: JanusFlow

    private func runFlow(directory: String) throws {
        try refuse([("--temperature", temperature != nil), ("--top-k", topK != nil), ("--top-p", topP != nil),
                    ("--greedy", greedy), ("--image-size", imageSize != nil), ("--dump-tokens", dumpTokens != nil)],
                   for: "JanusFlow checkpoints (they sample latents, not tokens)")
        guard let vae else { throw ValidationError("\(ModelSetupError.flowWithoutVAE(model: directory)); pass it with --vae DIR.") }
        let flow = try FlowTextToImage.load(model: directory, vae: vae)
        let stepCount = steps ?? FlowGenerationRequest.defaultSteps
        let progress = ProgressBar(label: "ODE steps", total: stepCount, unit: "step")
        let latents = try flow.generate(prompt: prompt, count: count, cfgWeight: cfg ?? FlowGenerationRequest.defaultCFGWeight,
                                        steps: stepCount, seed: resolvedSeed()) { progress.update($0.index + 1) }
        let output = try outputDirectory()
        if let dumpLatents {
            try SafetensorsWriter.write([(name: "latents", tensor: latents)], metadata: ["format": "pt"], to: dumpLatents)
        }
        try writeVAEImages(latents: latents, vae: flow.vae, to: output)
    }

    // MARK: Janus-Pro

    private func runVQ(directory: String) throws {
        if let vae { throw ValidationError("\(ModelSetupError.vaeForVQModel(model: directory, vae: vae)).") }
        try refuse([("--steps", steps != nil), ("--dump-latents", dumpLatents != nil)],
                   for: "Janus / Janus-Pro checkpoints (they decode their own VQ image tokens; those options are for JanusFlow)")
        let model = try JanusModel.load(directory: directory)
        let builder = try PromptBuilder.load(directory: directory)
        let vq = model.configuration.genVision.params
        let size = imageSize ?? vq.imageSize
        guard size % vq.downsample == 0 else {
            throw ValidationError("--image-size \(size) is not a multiple of the VQ downsample factor \(vq.downsample).")
        }
        let side = size / vq.downsample
        let padID = try builder.padID
        let request = ImageGenerationRequest(
            promptIDs: builder.generationPromptIDs(prompt), count: count, cfgWeight: cfg ?? 5,
            imageTokenCount: side * side,
            sampling: SamplingOptions(temperature: temperature ?? 1, topK: topK, topP: topP, greedy: greedy),
            seed: resolvedSeed())
        let progress = ProgressBar(label: "image tokens", total: side * side, unit: "tok")
        let grids = try model.imageGenerator(padID: padID).generate(request) { progress.update($0.index + 1) }

        let output = try outputDirectory()
        if let dumpTokens {
            try Data(compactJSON(grids).utf8).write(to: URL(fileURLWithPath: dumpTokens))
        }
        try writeVQImages(grids: grids, side: side, decoder: model.imageDecoder, to: output)
    }

    private func outputDirectory() throws -> URL {
        let output = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        return output
    }
}
