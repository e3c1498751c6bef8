import ArgumentParser
import Foundation
import JanusCheckpoint
import JanusImage
import JanusInference
import JanusModels
import JanusTensor

/// `janus decode`: saved generation state to PNGs without the LLM — JanusFlow latents
/// through a VAE, or Janus-Pro VQ token grids through the checkpoint's VQ decoder.
struct Decode: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn saved latents or image-token grids into PNGs (writes OUT/0.png … OUT/N-1.png).",
        discussion: """
            Either --vae DIR --latents FILE.safetensors (tensor "latents" [N, C, h, w], as written by
            `generate --dump-latents`), or --model DIR --tokens FILE.json (square token grids, as
            written by `generate --dump-tokens`).
            """)

    @Option(help: "A diffusers VAE directory (with --latents).")
    var vae: String?

    @Option(help: "A safetensors file holding the tensor \"latents\" [N, C, h, w].")
    var latents: String?

    @Option(help: "A Janus / Janus-Pro checkpoint directory (with --tokens).")
    var model: String?

    @Option(help: "A JSON file with one array of image-token ids per image (square grids).")
    var tokens: String?

    @Option(help: "Output directory (created if needed).")
    var out: String

    /// `--compute bf16` runs the decoders' convolutions on bf16 pairs (`--weights` and
    /// `--kv-cache` concern the language model, which decoding does not load).
    @OptionGroup var computeOptions: ComputeOptions

    func validate() throws {
        switch (vae != nil, latents != nil, model != nil, tokens != nil) {
        case (true, true, false, false), (false, false, true, true): break
        default:
            throw ValidationError("give either --vae and --latents, or --model and --tokens.")
        }
    }

    func run() throws {
        computeOptions.apply()
        let output = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        if let vae, let latents {
            let kind = try ModelKind.detect(directory: vae)
            guard kind == .vae else {
                throw ModelSetupError.wrongKind(directory: vae, found: kind, expected: "a diffusers AutoencoderKL directory")
            }
            let decoder = try VAEImageDecoder.load(directory: vae)
            try writeVAEImages(latents: try SafetensorsFile(path: latents).tensor("latents"), vae: decoder, to: output)
        } else if let model, let tokens {
            try decodeTokens(model: model, tokensFile: tokens, to: output)
        }
    }

    private func decodeTokens(model directory: String, tokensFile: String, to output: URL) throws {
        let kind = try ModelKind.detect(directory: directory)
        guard kind == .janus else {
            throw ModelSetupError.wrongKind(directory: directory, found: kind,
                                            expected: "a Janus / Janus-Pro checkpoint (VQ token grids need its VQ decoder)")
        }
        let grids: [[Int]]
        do {
            grids = try JSONDecoder().decode([[Int]].self, from: Data(contentsOf: URL(fileURLWithPath: tokensFile)))
        } catch {
            throw ValidationError("\(tokensFile): expected a JSON array of token-id arrays (\(error.localizedDescription))")
        }
        guard let first = grids.first else { throw ValidationError("\(tokensFile): no token grids") }
        let side = Int(Double(first.count).squareRoot().rounded())
        guard side > 0, side * side == first.count, grids.allSatisfy({ $0.count == first.count }) else {
            throw ValidationError("\(tokensFile): every grid must hold the same square number of tokens "
                                  + "(got \(grids.map(\.count)))")
        }
        let configuration = try JanusConfiguration.load(directory: directory)
        let decoder = try VQImageDecoder(weights: Weights(try Checkpoint.open(directory: directory)).scoped("gen_vision_model"),
                                         configuration: configuration.genVision.params)
        try writeVQImages(grids: grids, side: side, decoder: decoder, to: output)
    }
}

// MARK: Pictures out (shared with `generate`)

/// Decodes latents with `vae` one image at a time and writes `output/<i>.png`,
/// printing each path.
func writeVAEImages(latents: Tensor, vae: VAEImageDecoder, to output: URL) throws {
    try vae.validate(latents: latents)
    let progress = ProgressBar(label: "decoding", total: latents.shape[0], unit: "img")
    for index in 0..<latents.shape[0] {
        let image = try vae.images(latents: latents[index].reshaped([1] + latents.shape.dropFirst()))[0]
        try writePNG(image, index: index, to: output)
        progress.update(index + 1)
    }
}

/// Decodes square VQ token grids and writes `output/<i>.png`, printing each path.
func writeVQImages(grids: [[Int]], side: Int, decoder: VQImageDecoder, to output: URL) throws {
    try decoder.validate(codes: grids, gridHeight: side, gridWidth: side)
    let size = side * decoder.downsample
    let progress = ProgressBar(label: "decoding", total: grids.count, unit: "img")
    for (index, grid) in grids.enumerated() {
        let pixels = try decoder.decodeToRGB(codes: [grid], gridHeight: side, gridWidth: side)[0]
        try writePNG(RGBImage(width: size, height: size, pixels: pixels), index: index, to: output)
        progress.update(index + 1)
    }
}

private func writePNG(_ image: RGBImage, index: Int, to output: URL) throws {
    let file = output.appendingPathComponent("\(index).png")
    try image.writePNG(to: file)
    print(file.path)
}
