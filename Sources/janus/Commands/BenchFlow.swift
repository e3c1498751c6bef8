import ArgumentParser
import Foundation
import JanusModels
import JanusTensor

extension FlowModelShape: ExpressibleByArgument {}

/// `janus bench flow`: JanusFlow generation at real shapes with synthetic weights.
struct BenchFlow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flow",
        abstract: "JanusFlow generation: LLM pass per ODE step, ShallowUViT, whole step, SDXL-VAE decode at 384px and 1024px, peak RSS.")

    enum Part: String, CaseIterable, ExpressibleByArgument {
        case llm, uvit, step, vae384, vae1024
    }

    @Option(help: "Model shape: \(FlowModelShape.allCases.map(\.rawValue).joined(separator: ", ")).")
    var shape: FlowModelShape = .janusFlow1_3B

    @Option(help: "Images per request (2 LLM rows each with CFG).")
    var images = 1

    @Option(help: "Prompt tokens cached before the image rows (the demo's prompts are ~20–60).")
    var promptTokens = 48

    @Option(help: "Measured repetitions of each part.")
    var repetitions = 1

    @Option(parsing: .upToNextOption, help: "Parts to run: \(Part.allCases.map(\.rawValue).joined(separator: " ")).")
    var parts: [Part] = Part.allCases

    @Flag(help: "Print one JSON document.")
    var json = false

    func validate() throws {
        guard images >= 1, promptTokens >= 2, repetitions >= 1 else {
            throw ValidationError("--images and --repetitions must be ≥ 1, --prompt-tokens ≥ 2")
        }
    }

    struct Report: Encodable {
        let shape: String
        let images: Int
        let promptTokens: Int
        let imageTokens: Int
        let threads: String
        let weightsSeconds: Double
        var timings: [Timing] = []
        var peakResidentBytes: [String: Int] = [:]

        enum CodingKeys: String, CodingKey {
            case shape, images, threads, timings
            case promptTokens = "prompt_tokens", imageTokens = "image_tokens"
            case weightsSeconds = "synthetic_weights_s", peakResidentBytes = "peak_rss_bytes"
        }
    }

    func run() throws {
        let configuration = try shape.configuration
        let loadStart = Date()
        // bf16 like the JanusFlow checkpoint; f32 like the diffusers SDXL-VAE file. The
        // LLM's weights are only made when a part needs them (they dominate peak RSS).
        let needsModel = parts.contains { $0 != .vae384 && $0 != .vae1024 }
        let model = needsModel
            ? try JanusFlowModel(weights: Weights(SyntheticWeights(seed: 5, keepsReleasedTensors: false)), configuration: configuration) : nil
        let vae = try VAEImageDecoder(weights: Weights(SyntheticWeights(seed: 6, dtype: .f32)),
                                      configuration: try shape.vaeConfiguration)
        var report = Report(shape: shape.rawValue, images: images, promptTokens: promptTokens,
                            imageTokens: configuration.imageTokenCount,
                            threads: ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "default",
                            weightsSeconds: Date().timeIntervalSince(loadStart))
        if !json {
            print("shape \(shape.rawValue), \(images) image(s) = \(2 * images) rows of 1 + \(configuration.imageTokenCount) tokens "
                  + "over \(promptTokens - 1) cached prompt tokens; synthetic weights built in "
                  + String(format: "%.1f s", report.weightsSeconds))
        }
        func record(_ timing: Timing, _ part: Part) {
            report.timings.append(timing)
            if let peak = peakResidentBytes() { report.peakResidentBytes[part.rawValue] = peak }
            if !json { print(timing.line + (peakResidentBytes().map { "  peak RSS \(formatBytes($0))" } ?? "")) }
        }

        let promptIDs = (0..<promptTokens).map { ($0 * 7919) % configuration.language.vocabSize }
        let latentShape = [images, configuration.latentChannels, configuration.latentSize, configuration.latentSize]
        let latents = GaussianNoise.tensor(shape: latentShape, seed: 1)
        for part in parts {
            resetPeakResident()
            switch (part, model) {
            case (.llm, let model?):
                let (sampler, velocity) = (model.sampler(padID: 0), model.velocityModel)
                let prefix = sampler.prefill(promptIDs: promptIDs, count: images)
                let rows = velocity.encode(latents: latents, timestep: 500).duplicated().languageRows
                let (count, length, hidden) = (rows.shape[0], rows.shape[1], rows.shape[2])
                record(Timing.measure("LLM pass per ODE step (\(count) rows)", repetitions: repetitions) {
                    prefix.rewind()
                    _ = model.language.norm(model.language.model(
                        rows.reshaped([count * length, hidden]),
                        slots: prefix.caches.map {
                            SequenceSlot(cache: $0, tokenCount: length, firstPosition: prefix.timeEmbeddingPosition)
                        }))
                }, part)
            case (.uvit, let model?):
                let velocity = model.velocityModel
                let imageHidden = Tensor(zeros: [2 * images, velocity.imageTokenCount, configuration.language.hiddenSize])
                record(Timing.measure("ShallowUViT enc + dec (\(2 * images) rows)", repetitions: repetitions) {
                    let inputs = velocity.encode(latents: latents, timestep: 500).duplicated()
                    _ = velocity.velocity(imageHidden: imageHidden, inputs: inputs)
                }, part)
            case (.step, let model?):
                let sampler = model.sampler(padID: 0)
                let prefix = sampler.prefill(promptIDs: promptIDs, count: images)
                record(Timing.measure("whole ODE step (\(images) image(s))", repetitions: repetitions) {
                    let (conditional, unconditional) = sampler.velocities(latents: latents, timestep: 500, prefix: prefix)
                    let guided = RectifiedFlowSampler.guide(conditional: conditional, unconditional: unconditional, weight: 2)
                    _ = RectifiedFlowSampler.eulerStep(latents, velocity: guided, steps: 30)
                }, part)
            case (.llm, nil), (.uvit, nil), (.step, nil):
                preconditionFailure("the model is built whenever an LLM or UViT part is requested")
            case (.vae384, _), (.vae1024, _):
                let side = (part == .vae384 ? 384 : 1024) / vae.upsamplingFactor
                let z = GaussianNoise.tensor(shape: [1, vae.latentChannels, side, side], seed: 2)
                let large = part == .vae1024
                record(try Timing.measure("VAE decode \(side)x\(side) -> \(side * vae.upsamplingFactor)px",
                                          repetitions: large ? 1 : repetitions, warmup: large ? 0 : 1) {
                    _ = try vae.decode(latents: z)
                }, part)
            }
        }
        if json { try printJSON(report) }
    }
}
