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
        abstract: "Image generation: LLM decode step, gen head, VQ decode at 384px and 1024px, peak RSS; "
            + "with --parts image, one whole image end to end.",
        discussion: """
            The image part runs one full text-to-image job (prompt prefill of the conditional and \
            unconditional rows, every image token with CFG and sampling, VQ decode, PNG) and reports its \
            peak RSS beside the bytes of the weights it reads. It runs once whatever --repetitions says \
            (a minute or more at janus-pro-1b), and before the other parts, so their weights are not in its RSS.
            """)

    enum Part: String, CaseIterable, ExpressibleByArgument {
        case decode, head, vq384, vq1024, image

        /// What runs without --parts: everything but the minute-long whole image.
        static let defaults: [Part] = allCases.filter { $0 != .image }
    }

    @Option(help: "Model shape: \(ModelShape.allCases.map(\.rawValue).joined(separator: ", ")).")
    var shape: ModelShape = .janusPro1B

    @Option(help: "Rows per decode step (2 per image with CFG).")
    var rows = 2

    @Option(help: "Tokens already in each row's KV cache.")
    var context = 600

    @Option(help: "Measured repetitions of each part (vq1024 and image run once).")
    var repetitions = 5

    @Option(parsing: .upToNextOption,
            help: "Parts to run: \(Part.allCases.map(\.rawValue).joined(separator: " ")) (default: all but image).")
    var parts: [Part] = Part.defaults

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
        let kvCache: String
        /// Building the synthetic weights of the step parts (0 when only the image part ran).
        var weightsSeconds: Double = 0
        var timings: [Timing] = []
        var peakResidentBytes: [String: Int] = [:]
        /// Per part, its peak above what the process held when it began: the part's own
        /// working memory (the VQ decodes' activations), apart from every part's weights.
        var peakAboveStartBytes: [String: Int] = [:]
        var image: ImageBenchmark.Report?
        /// The decode step against this host's read bandwidth.
        var decodeFloor: BandwidthFloor?

        enum CodingKeys: String, CodingKey {
            case shape, rows, context, threads, compute, weights, timings, image, kvCache = "kv_cache"
            case decodeFloor = "decode_floor"
            case weightsSeconds = "synthetic_weights_s", peakResidentBytes = "peak_rss_bytes"
            case peakAboveStartBytes = "peak_rss_above_start_bytes"
        }
    }

    /// The components the step parts time, built once from synthetic weights.
    struct StepModel {
        let stack: LlamaDecoderStack
        let norm: RMSNorm
        let head: GenerationHead
        let tokenEmbedding: ImageTokenEmbedding
        let decoder: VQImageDecoder

        init(_ configuration: JanusConfiguration) throws {
            let weights = Weights(SyntheticWeights(seed: 1, keepsReleasedTensors: false))
            stack = try LlamaDecoderStack(weights.scoped("language_model.model"), configuration: configuration.language)
            norm = try RMSNorm(weights.scoped("language_model.model.norm"),
                               dimensions: configuration.language.hiddenSize, eps: configuration.language.rmsNormEps)
            head = try GenerationHead(weights.scoped("gen_head"), configuration: configuration.genHead.params)
            tokenEmbedding = try ImageTokenEmbedding(weights, configuration: configuration)
            decoder = try VQImageDecoder(weights: weights.scoped("gen_vision_model"),
                                         configuration: configuration.genVision.params)
        }
    }

    func run() throws {
        computeOptions.apply()
        let configuration = try shape.configuration
        var report = Report(shape: shape.rawValue, rows: rows, context: context,
                            threads: String(ComputeThreads.count), compute: ComputeMode.processDefault.rawValue,
                            weights: LinearWeightFormat.languageModelDefault.rawValue,
                            kvCache: KVCacheFormat.processDefault.rawValue)
        if !json { print("shape \(shape.rawValue), \(rows) rows, context \(context), \(computeOptions.summary)") }
        // The image first: its RSS is then its own, not also the step parts' weights.
        if parts.contains(.image) { try runImage(configuration, into: &report) }
        let stepParts = parts.filter { $0 != .image }
        if !stepParts.isEmpty {
            let start = Date()
            let model = try StepModel(configuration)
            report.weightsSeconds = Date().timeIntervalSince(start)
            if !json { print("synthetic bf16 weights built in " + String(format: "%.1f s", report.weightsSeconds)) }
            for part in stepParts {
                if part == .decode {
                    try measureDecode(model: model, configuration: configuration, into: &report)
                    continue
                }
                resetPeakResident()
                let start = residentBytes()
                record(try measure(part, model: model, configuration: configuration), part, start: start, into: &report)
            }
        }
        if json { try printJSON(report) }
    }

    /// `uncounted`: bytes of the benchmark's own that the peak should not show.
    /// `start`: the RSS when the part began, for its peak above it.
    private func record(_ timing: Timing, _ part: Part, uncounted: Int = 0, start: Int? = nil,
                        into report: inout Report) {
        report.timings.append(timing)
        let peak = peakResidentBytes().map { $0 - uncounted }
        if let peak { report.peakResidentBytes[part.rawValue] = peak }
        var line = timing.line + (peak.map { "  peak RSS \(formatBytes($0))" } ?? "")
        if let peak, let start {
            report.peakAboveStartBytes[part.rawValue] = peak - start
            line += " (+\(formatBytes(peak - start)) over the start)"
        }
        if !json { print(line) }
    }

    /// The decode step, with the host's read bandwidth sampled after every timed step
    /// (the rate of a shared host moves within a minute, so one measurement before or
    /// after the steps can be far from what they met), against the floor it sets: a step
    /// reads every decoder-layer weight and the generation head once, and every row's
    /// KV cache.
    private func measureDecode(model: StepModel, configuration: JanusConfiguration, into report: inout Report) throws {
        let probe = ReadBandwidthProbe(bytes: BandwidthFloor.probeBytes)
        resetPeakResident()
        var rates: [Double] = []
        let step = try measure(.decode, model: model, configuration: configuration) {
            if let probe { rates.append(probe.sample()) }
        }
        record(step, .decode, uncounted: probe == nil ? 0 : BandwidthFloor.probeBytes, into: &report)
        let weightBytes = WeightFootprint.byteCount(of: model.stack, model.norm, model.head)
        let l = configuration.language
        let cacheBytes = rows * context * l.numHiddenLayers
            * KVCache.bytesPerPosition(kvHeads: l.numKeyValueHeads, headDim: l.headDim, dtype: KVCache.processDefaultDType)
        report.decodeFloor = BandwidthFloor(weightBytesPerStep: weightBytes, cacheBytesPerStep: cacheBytes,
                                            step: step, readRates: rates)
        if !json, let floor = report.decodeFloor { print(floor.line) }
    }

    private func runImage(_ configuration: JanusConfiguration, into report: inout Report) throws {
        resetPeakResident()
        let benchmark = try ImageBenchmark(configuration: configuration)
        if !json { print("image job: synthetic bf16 weights built in " + String(format: "%.1f s", benchmark.buildSeconds)) }
        returnFreedMemoryToKernel()  // the synthesis's temporary f32 copies are not the job's
        resetPeakResident()
        let before = residentBytes()
        let run = try benchmark.run()
        let image = benchmark.report(run, residentBeforeBytes: before, peakResidentBytes: peakResidentBytes())
        report.image = image
        record(Timing(name: "image end to end, \(benchmark.imageSize)px, \(benchmark.imageTokenCount) tok",
                      runs: [run.total]), .image, into: &report)
        if !json { image.lines.forEach { print($0) } }
    }

    /// One of the parts that time a single step of the work.
    /// `between` runs after every timed repetition, untimed.
    private func measure(_ part: Part, model: StepModel, configuration: JanusConfiguration,
                         between: () -> Void = {}) throws -> Timing {
        let codebook = configuration.genVision.params.codebookSize
        switch part {
        case .decode:
            let caches = (0..<rows).map { _ in model.stack.makeCache(capacity: context + repetitions + 2) }
            for cache in caches { cache.fillForBenchmark(length: context) }
            let tokens = (0..<rows).map { $0 % codebook }
            return Timing.measure("LLM decode step (\(rows) rows)", repetitions: repetitions, between: between) {
                let hidden = model.stack(model.tokenEmbedding(tokens), slots: caches.map { SequenceSlot(cache: $0, tokenCount: 1) })
                _ = model.head(model.norm(hidden))
            }
        case .head:
            let hidden = Tensor(zeros: [rows, configuration.language.hiddenSize])
            return Timing.measure("gen head + CFG (\(rows) rows)", repetitions: repetitions) {
                _ = ImageGenerator.guide(model.head(hidden), weight: 5)
            }
        case .vq384, .vq1024:
            let side = part == .vq384 ? 24 : 64
            let codes = (0..<(side * side)).map { $0 * 7919 % codebook }
            return try Timing.measure("VQ decode \(side)x\(side) -> \(side * 16)px", repetitions: part == .vq1024 ? 1 : repetitions,
                                      warmup: part == .vq1024 ? 0 : 1) {
                _ = try model.decoder.decode(codes: [codes], gridHeight: side, gridWidth: side)
            }
        case .image:
            preconditionFailure("the image part is not a step part")
        }
    }
}
