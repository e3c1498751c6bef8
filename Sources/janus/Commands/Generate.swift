import ArgumentParser
import Foundation
import JanusImage
import JanusModels
import JanusText

/// `janus generate`: text to images in one process, as `generation_inference.py` does it.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate images from a text prompt (writes OUT/0.png … OUT/N-1.png).")

    @OptionGroup var modelOption: ModelOption

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
        if let imageSize, imageSize <= 0 { throw ValidationError("--image-size must be positive, got \(imageSize).") }
        if prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--prompt is empty.")
        }
    }

    func run() throws {
        let directory = try modelOption.resolve()
        let model = try JanusModel.load(directory: directory)
        let builder = try PromptBuilder.load(directory: directory)
        let vq = model.configuration.genVision.params
        let size = imageSize ?? vq.imageSize
        guard size % vq.downsample == 0 else {
            throw ValidationError("--image-size \(size) is not a multiple of the VQ downsample factor \(vq.downsample).")
        }
        let side = size / vq.downsample
        guard let padID = builder.tokenizer.id(forToken: builder.processorConfig.padTag) else {
            throw ValidationError("the tokenizer has no pad token \(builder.processorConfig.padTag)")
        }
        let seed = seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
        if self.seed == nil && !greedy { status("janus: seed \(seed)") }

        let request = ImageGenerationRequest(
            promptIDs: builder.generationPromptIDs(prompt), count: count, cfgWeight: cfg,
            imageTokenCount: side * side,
            sampling: SamplingOptions(temperature: temperature, topK: topK, topP: topP, greedy: greedy), seed: seed)
        let progress = ProgressBar(label: "image tokens", total: side * side, unit: "tok")
        let grids = try model.imageGenerator(padID: padID).generate(request) { progress.update($0.index + 1) }

        let output = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        if let dumpTokens {
            try Data(compactJSON(grids).utf8).write(to: URL(fileURLWithPath: dumpTokens))
        }
        let decoding = ProgressBar(label: "decoding", total: grids.count, unit: "img")
        for (index, grid) in grids.enumerated() {
            let pixels = try model.imageDecoder.decodeToRGB(codes: [grid], gridHeight: side, gridWidth: side)[0]
            let file = output.appendingPathComponent("\(index).png")
            try RGBImage(width: size, height: size, pixels: pixels).writePNG(to: file)
            decoding.update(index + 1)
            print(file.path)
        }
    }
}
