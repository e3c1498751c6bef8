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
    @OptionGroup var common: GenerationOptionGroup
    @OptionGroup var computeOptions: ComputeOptions

    // MARK: JanusFlow

    @Option(help: "JanusFlow: the VAE directory (diffusers AutoencoderKL, e.g. stabilityai/sdxl-vae).")
    var vae: String?

    @OptionGroup var flowSteps: FlowStepsOption

    @Option(help: "JanusFlow: also write the final latents as safetensors (tensor \"latents\", [N, 4, h, w]).")
    var dumpLatents: String?

    // MARK: Janus-Pro (VQ tokens)

    @OptionGroup var tokens: TokenSamplingOptionGroup

    func run() throws {
        computeOptions.apply()
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

    // MARK: JanusFlow

    private func runFlow(directory: String) throws {
        try refuse(tokens.given, for: "JanusFlow checkpoints (they sample latents, not tokens)")
        guard let vae else { throw ValidationError("\(ModelSetupError.flowWithoutVAE(model: directory)); pass it with --vae DIR.") }
        let flow = try FlowTextToImage.load(model: directory, vae: vae)
        let stepCount = flowSteps.steps ?? FlowGenerationRequest.defaultSteps
        let progress = ProgressBar(label: "ODE steps", total: stepCount, unit: "step")
        let latents = try flow.generate(prompt: common.prompt, count: common.count,
                                        cfgWeight: common.cfg ?? FlowGenerationRequest.defaultCFGWeight,
                                        steps: stepCount, seed: common.resolvedSeed(announce: true)) { progress.update($0.index + 1) }
        let output = try common.outputDirectory()
        if let dumpLatents {
            try SafetensorsWriter.write([(name: "latents", tensor: latents)], metadata: ["format": "pt"], to: dumpLatents)
        }
        try writeVAEImages(latents: latents, vae: flow.vae, to: output)
    }

    // MARK: Janus-Pro

    private func runVQ(directory: String) throws {
        if let vae { throw ValidationError("\(ModelSetupError.vaeForVQModel(model: directory, vae: vae)).") }
        try refuse([("--steps", flowSteps.steps != nil), ("--dump-latents", dumpLatents != nil)],
                   for: "Janus / Janus-Pro checkpoints (they decode their own VQ image tokens; those options are for JanusFlow)")
        let model = try JanusModel.load(directory: directory)
        let builder = try PromptBuilder.load(directory: directory)
        let vq = model.configuration.genVision.params
        let size = tokens.imageSize ?? vq.imageSize
        guard size % vq.downsample == 0 else {
            throw ValidationError("--image-size \(size) is not a multiple of the VQ downsample factor \(vq.downsample).")
        }
        let side = size / vq.downsample
        let padID = try builder.padID
        let request = ImageGenerationRequest(
            promptIDs: builder.generationPromptIDs(common.prompt), count: common.count, cfgWeight: common.cfg ?? 5,
            imageTokenCount: side * side, sampling: tokens.sampling,
            seed: common.resolvedSeed(announce: !tokens.greedy))
        let progress = ProgressBar(label: "image tokens", total: side * side, unit: "tok")
        let grids = try model.imageGenerator(padID: padID).generate(request) { progress.update($0.index + 1) }

        let output = try common.outputDirectory()
        try tokens.writeTokens(grids)
        try writeVQImages(grids: grids, side: side, decoder: model.imageDecoder, to: output)
    }
}
