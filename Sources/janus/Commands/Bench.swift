import ArgumentParser
import Foundation
import JanusModels
import JanusTensor

/// `janus bench`: speed and memory with synthetic weights at published shapes (no files).
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed and memory with random weights at real model shapes.",
        subcommands: [BenchGenerate.self, BenchUnderstand.self, BenchFlow.self, BenchCluster.self, BenchAccuracy.self])
}

extension ModelShape: ExpressibleByArgument {}

struct BenchGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Image generation: LLM decode step, gen head, VQ decode at 384px and 1024px, peak RSS.")

    enum Part: String, CaseIterable, ExpressibleByArgument {
        case decode, head, vq384, vq1024
    }

    @Option(help: "Model shape: \(ModelShape.allCases.map(\.rawValue).joined(separator: ", ")).")
    var shape: ModelShape = .janusPro1B

    @Option(help: "Rows per decode step (2 per image with CFG).")
    var rows = 2

    @Option(help: "Tokens already in each row's KV cache.")
    var context = 600

    @Option(help: "Measured repetitions of each part.")
    var repetitions = 5

    @Option(parsing: .upToNextOption, help: "Parts to run: \(Part.allCases.map(\.rawValue).joined(separator: " ")).")
    var parts: [Part] = Part.allCases

    @OptionGroup var computeOptions: ComputeOptions

    @Flag(help: "Print one JSON document.")
    var json = false

    func validate() throws {
        guard rows >= 1 else { throw ValidationError("--rows must be ≥ 1") }
        guard context >= 0 else { throw ValidationError("--context must be ≥ 0") }
        guard repetitions >= 1 else { throw ValidationError("--repetitions must be ≥ 1") }
    }

    struct Report: Encodable {
        let shape: String
        let rows: Int
        let context: Int
        let threads: String
        let compute: String
        let weights: String
        let weightsSeconds: Double
        var timings: [Timing] = []
        var peakResidentBytes: [String: Int] = [:]

        enum CodingKeys: String, CodingKey {
            case shape, rows, context, threads, compute, weights, timings
            case weightsSeconds = "synthetic_weights_s", peakResidentBytes = "peak_rss_bytes"
        }
    }

    func run() throws {
        computeOptions.apply()
        let configuration = try shape.configuration
        let weights = Weights(SyntheticWeights(seed: 1, keepsReleasedTensors: false))
        let loadStart = Date()
        let stack = try LlamaDecoderStack(weights.scoped("language_model.model"), configuration: configuration.language)
        let norm = try RMSNorm(weights.scoped("language_model.model.norm"),
                               dimensions: configuration.language.hiddenSize, eps: configuration.language.rmsNormEps)
        let head = try GenerationHead(weights.scoped("gen_head"), configuration: configuration.genHead.params)
        let tokenEmbedding = try ImageTokenEmbedding(weights, configuration: configuration)
        let decoder = try VQImageDecoder(weights: weights.scoped("gen_vision_model"),
                                         configuration: configuration.genVision.params)
        var report = Report(shape: shape.rawValue, rows: rows, context: context,
                            threads: String(ComputeThreads.count), compute: ComputeMode.processDefault.rawValue,
                            weights: LinearWeightFormat.languageModelDefault.rawValue,
                            weightsSeconds: Date().timeIntervalSince(loadStart))
        if !json {
            print("shape \(shape.rawValue), \(rows) rows, context \(context), \(computeOptions.summary); "
                  + "synthetic bf16 weights built in " + String(format: "%.1f s", report.weightsSeconds))
        }
        func record(_ timing: Timing, _ part: String) {
            report.timings.append(timing)
            if let peak = peakResidentBytes() { report.peakResidentBytes[part] = peak }
            if !json { print(timing.line + (peakResidentBytes().map { "  peak RSS \(formatBytes($0))" } ?? "")) }
        }

        let codebook = configuration.genVision.params.codebookSize
        for part in parts {
            resetPeakResident()
            switch part {
            case .decode:
                let caches = (0..<rows).map { _ in stack.makeCache(capacity: context + repetitions + 2) }
                for cache in caches { cache.fillForBenchmark(length: context) }
                let tokens = (0..<rows).map { $0 % codebook }
                record(Timing.measure("LLM decode step (\(rows) rows)", repetitions: repetitions) {
                    let hidden = stack(tokenEmbedding(tokens), slots: caches.map { SequenceSlot(cache: $0, tokenCount: 1) })
                    _ = head(norm(hidden))
                }, "decode")
            case .head:
                let hidden = Tensor(zeros: [rows, configuration.language.hiddenSize])
                record(Timing.measure("gen head + CFG (\(rows) rows)", repetitions: repetitions) {
                    _ = ImageGenerator.guide(head(hidden), weight: 5)
                }, "head")
            case .vq384, .vq1024:
                let side = part == .vq384 ? 24 : 64
                let codes = (0..<(side * side)).map { $0 * 7919 % codebook }
                record(try Timing.measure("VQ decode \(side)x\(side) -> \(side * 16)px", repetitions: part == .vq1024 ? 1 : repetitions,
                                      warmup: part == .vq1024 ? 0 : 1) {
                    _ = try decoder.decode(codes: [codes], gridHeight: side, gridWidth: side)
                }, part.rawValue)
            }
        }
        if json { try printJSON(report) }
    }
}
