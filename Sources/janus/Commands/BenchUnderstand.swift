import ArgumentParser
import Foundation
import JanusModels
import JanusTensor

struct BenchUnderstand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "understand",
        abstract: "Image understanding: SigLIP + aligner encode, prompt prefill, text decode, peak RSS.")

    @Option(help: "Model shape: \(ModelShape.allCases.map(\.rawValue).joined(separator: ", ")).")
    var shape: ModelShape = .janusPro1B

    @Option(help: "Prompt length for the prefill (an image is 576 tokens at real shapes).")
    var promptTokens = 600

    @Option(help: "Tokens decoded after the prefill.")
    var newTokens = 16

    @Option(help: "Measured repetitions of the encode and the prefill.")
    var repetitions = 3

    @OptionGroup var computeOptions: ComputeOptions

    @Flag(help: "Print one JSON document.")
    var json = false

    func validate() throws {
        guard promptTokens >= 1, newTokens >= 1, repetitions >= 1 else {
            throw ValidationError("--prompt-tokens, --new-tokens and --repetitions must be ≥ 1")
        }
    }

    struct Report: Encodable {
        let shape: String
        let promptTokens: Int
        let threads: Int
        let compute: String
        let weights: String
        let kvCache: String
        var timings: [Timing] = []
        var prefillTokensPerSecond = 0.0
        var decodeTokensPerSecond = 0.0
        var peakResidentBytes: [String: Int] = [:]

        enum CodingKeys: String, CodingKey {
            case shape, threads, compute, weights, kvCache = "kv_cache", timings, promptTokens = "prompt_tokens", prefillTokensPerSecond = "prefill_tok_per_s"
            case decodeTokensPerSecond = "decode_tok_per_s", peakResidentBytes = "peak_rss_bytes"
        }
    }

    func run() throws {
        computeOptions.apply()
        let configuration = try shape.configuration
        let weights = Weights(SyntheticWeights(seed: 2, keepsReleasedTensors: false))
        let encoder = try ImageEncoder(weights: weights, configuration: configuration)
        let language = try LanguageModel(weights.scoped("language_model"), configuration: configuration.language)
        var report = Report(shape: shape.rawValue, promptTokens: promptTokens, threads: ComputeThreads.count,
                            compute: ComputeMode.processDefault.rawValue,
                            weights: LinearWeightFormat.languageModelDefault.rawValue,
                            kvCache: KVCacheFormat.processDefault.rawValue)
        if !json { print("shape \(shape.rawValue), \(computeOptions.summary)") }
        func record(_ timing: Timing, _ part: String) {
            report.timings.append(timing)
            if let peak = peakResidentBytes() { report.peakResidentBytes[part] = peak }
            if !json { print(timing.line + (peakResidentBytes().map { "  peak RSS \(formatBytes($0))" } ?? "")) }
        }

        resetPeakResident()
        let side = encoder.imageSize
        let pixels = Tensor(shape: [1, 3, side, side], (0..<(3 * side * side)).map { Float($0 % 255) / 127.5 - 1 })
        record(try Timing.measure("SigLIP + aligner (1 image)", repetitions: repetitions) {
            _ = try encoder.embeddings(pixels: pixels)
        }, "encode")

        resetPeakResident()
        let ids = (0..<promptTokens).map { ($0 * 7919) % configuration.language.vocabSize }
        let prefill = Timing.measure("prefill \(promptTokens) tokens", repetitions: repetitions) {
            let cache = language.model.makeCache(capacity: promptTokens)
            let hidden = language.model(language.embed(ids), slots: [SequenceSlot(cache: cache, tokenCount: promptTokens)])
            _ = language.lmHead(language.norm(hidden[promptTokens - 1].reshaped([1, hidden.shape[1]])))
        }
        record(prefill, "prefill")
        report.prefillTokensPerSecond = Double(promptTokens) / prefill.median

        resetPeakResident()
        let cache = language.model.makeCache(capacity: promptTokens + newTokens + 1)
        cache.fillForBenchmark(length: promptTokens)
        var token = 1
        let decode = Timing.measure("decode 1 token (ctx ~\(promptTokens))", repetitions: newTokens) {
            let hidden = language.model(language.embed([token]), slots: [SequenceSlot(cache: cache, tokenCount: 1)])
            token = argmax(language.lmHead(language.norm(hidden)))[0]
        }
        record(decode, "decode")
        report.decodeTokensPerSecond = 1 / decode.median
        if json {
            try printJSON(report)
        } else {
            print(String(format: "prefill %.1f tok/s, decode %.2f tok/s", report.prefillTokensPerSecond,
                         report.decodeTokensPerSecond))
        }
    }
}
