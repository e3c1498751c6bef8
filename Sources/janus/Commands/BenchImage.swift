import Foundation
import JanusCheckpoint
import JanusImage
import JanusModels
import JanusTensor
import JanusText

/// `bench generate --parts image`: one whole text-to-image job as `generate` runs it for a
/// Janus-Pro checkpoint (chat template and tokenizer, `ImageGenerator`'s CFG loop with
/// sampling, the VQ-16 decoder, PNG encoding), with synthetic weights at the chosen shape,
/// and the process's peak RSS beside the bytes of the weights that job reads.
struct ImageBenchmark {
    /// The example prompt of the reference's `generation_inference.py`.
    static let prompt = "A close-up high-contrast photo of Sydney Opera House sitting next to Eiffel tower, "
        + "under a blue night sky of roiling energy, exploding yellow stars, and radiating swirls of blue."
    static let cfgWeight: Float = 5
    static let seed: UInt64 = 1

    let generator: ImageGenerator
    let decoder: VQImageDecoder
    let promptIDs: [Int]
    /// The tokens of one image side (24 for 384 px).
    let side: Int
    /// Bytes of the weights the job reads, per part of the model.
    let weightBytesByPart: [String: Int]
    /// All of them, each tensor once.
    let weightBytes: Int
    let buildSeconds: Double

    /// Builds the parts `generate` uses from synthetic weights: the language model (whose
    /// `lm_head` a real checkpoint maps but image generation never reads, so it is left
    /// unpaged here too), `gen_head`, `gen_embed` + `gen_aligner` and the VQ-16 decoder. The
    /// SigLIP encoder, which `JanusModel` would also build, is not built at all.
    init(configuration: JanusConfiguration) throws {
        let start = Date()
        // The bundled tokenizer of the default model (its ids are valid at every shape),
        // so the prompt goes through the same template and tokenizer code as `generate`.
        guard let tokenizer = Bundle.module.url(forResource: "DefaultModel", withExtension: nil) else {
            throw CheckpointError(file: "janus resources", reason: "the DefaultModel resource folder is missing")
        }
        let builder = try PromptBuilder.load(directory: tokenizer.path)
        promptIDs = builder.generationPromptIDs(Self.prompt)
        let vq = configuration.genVision.params
        side = vq.imageSize / vq.downsample

        // Built in a scope of its own: when it ends the synthetic provider goes, and with it
        // every tensor the model did not keep (the bf16 sources of int8 weights).
        let (language, head, tokenEmbedding, decoder) = try Self.syntheticParts(configuration)
        generator = ImageGenerator(language: language, head: head, tokenEmbedding: tokenEmbedding, padID: try builder.padID)
        self.decoder = decoder
        weightBytesByPart = [
            "language_model": WeightFootprint.byteCount(of: language.embedTokens, language.model, language.norm),
            "gen_head": WeightFootprint.byteCount(of: head),
            "gen_embed_aligner": WeightFootprint.byteCount(of: tokenEmbedding),
            "vq_decoder": WeightFootprint.byteCount(of: decoder),
        ]
        weightBytes = WeightFootprint.byteCount(of: language.embedTokens, language.model, language.norm,
                                                head, tokenEmbedding, decoder)
        buildSeconds = Date().timeIntervalSince(start)
    }

    private static func syntheticParts(_ c: JanusConfiguration) throws
        -> (LanguageModel, GenerationHead, ImageTokenEmbedding, VQImageDecoder) {
        let synthetic = SyntheticWeights(seed: 1, keepsReleasedTensors: false)
        let weights = Weights(UnpagedWeights(base: synthetic, unread: ["language_model.lm_head.weight"], dtype: synthetic.dtype))
        return (try LanguageModel(weights.scoped("language_model"), configuration: c.language),
                try GenerationHead(weights.scoped("gen_head"), configuration: c.genHead.params),
                try ImageTokenEmbedding(weights, configuration: c),
                try VQImageDecoder(weights: weights.scoped("gen_vision_model"), configuration: c.genVision.params))
    }

    var imageTokenCount: Int { side * side }
    var imageSize: Int { side * decoder.downsample }

    /// Where the time of one image went.
    struct Run {
        /// Step 0: the prompt prefill of both rows and the first token.
        var prefill: Double = 0
        /// Every later step: one image token, two rows (conditional and unconditional).
        var decodeSteps: Double = 0
        /// VQ-16 decode of the grid and PNG encoding.
        var vqDecode: Double = 0
        var total: Double { prefill + decodeSteps + vqDecode }
    }

    /// One image, with `generate`'s progress display on stderr.
    func run() throws -> Run {
        let request = ImageGenerationRequest(promptIDs: promptIDs, count: 1, cfgWeight: Self.cfgWeight,
                                             imageTokenCount: imageTokenCount, sampling: SamplingOptions(), seed: Self.seed)
        var run = Run()
        let progress = ProgressBar(label: "image tokens", total: imageTokenCount, unit: "tok")
        let start = DispatchTime.now().uptimeNanoseconds
        var prefillEnd = start
        let grids = try generator.generate(request) { step in
            if step.index == 0 { prefillEnd = DispatchTime.now().uptimeNanoseconds }
            progress.update(step.index + 1)
        }
        let tokensEnd = DispatchTime.now().uptimeNanoseconds
        let decoding = ProgressBar(label: "decoding", total: 1, unit: "img")
        let pixels = try decoder.decodeToRGB(codes: grids, gridHeight: side, gridWidth: side)[0]
        _ = try RGBImage(width: imageSize, height: imageSize, pixels: pixels).pngData()
        decoding.update(1)
        let end = DispatchTime.now().uptimeNanoseconds
        run.prefill = Double(prefillEnd - start) / 1e9
        run.decodeSteps = Double(tokensEnd - prefillEnd) / 1e9
        run.vqDecode = Double(end - tokensEnd) / 1e9
        return run
    }

    /// The `image` object of `bench generate --json`.
    struct Report: Encodable {
        let imageSize: Int
        let imageTokens: Int
        let promptTokens: Int
        let cfgWeight: Float
        let syntheticWeightsSeconds: Double
        let totalSeconds: Double
        let secondsPerImageToken: Double
        let prefillSeconds: Double
        /// Mean of the steps after the prefill.
        let decodeStepSeconds: Double
        let vqDecodeSeconds: Double
        /// RSS once the weights are built, before the job: the weights and the process's own.
        let residentBeforeBytes: Int?
        /// The peak from the end of the weight synthesis to the encoded image.
        let peakResidentBytes: Int?
        let weightBytes: Int
        let weightBytesByPart: [String: Int]
        let residentPerWeightByte: Double?

        enum CodingKeys: String, CodingKey {
            case imageSize = "image_size", imageTokens = "image_tokens", promptTokens = "prompt_tokens"
            case cfgWeight = "cfg_weight", syntheticWeightsSeconds = "synthetic_weights_s", totalSeconds = "total_s"
            case secondsPerImageToken = "s_per_image_token", prefillSeconds = "prefill_s"
            case decodeStepSeconds = "decode_step_s", vqDecodeSeconds = "vq_decode_s"
            case residentBeforeBytes = "rss_before_job_bytes"
            case peakResidentBytes = "peak_rss_bytes", weightBytes = "weight_bytes"
            case weightBytesByPart = "weight_bytes_by_part", residentPerWeightByte = "peak_rss_per_weight_byte"
        }
    }

    func report(_ run: Run, residentBeforeBytes: Int?, peakResidentBytes: Int?) -> Report {
        Report(imageSize: imageSize, imageTokens: imageTokenCount, promptTokens: promptIDs.count, cfgWeight: Self.cfgWeight,
               syntheticWeightsSeconds: buildSeconds, totalSeconds: run.total,
               secondsPerImageToken: run.total / Double(imageTokenCount), prefillSeconds: run.prefill,
               decodeStepSeconds: imageTokenCount > 1 ? run.decodeSteps / Double(imageTokenCount - 1) : 0,
               vqDecodeSeconds: run.vqDecode, residentBeforeBytes: residentBeforeBytes,
               peakResidentBytes: peakResidentBytes, weightBytes: weightBytes,
               weightBytesByPart: weightBytesByPart,
               residentPerWeightByte: peakResidentBytes.map { Double($0) / Double(max(weightBytes, 1)) })
    }
}

extension ImageBenchmark.Report {
    /// The lines `bench generate` prints without `--json`.
    var lines: [String] {
        var lines = [
            String(format: "  prompt %d tokens, %d image tokens (%dpx), CFG %g: prefill %.2f s, decode %.3f s/step, "
                   + "VQ decode + PNG %.2f s; %.3f s per image token",
                   promptTokens, imageTokens, imageSize, Double(cfgWeight), prefillSeconds, decodeStepSeconds,
                   vqDecodeSeconds, secondsPerImageToken),
            "  weights in use \(formatBytes(weightBytes)) ("
                + weightBytesByPart.sorted { $0.value > $1.value }.map { "\($0.key) \(formatBytes($0.value))" }
                    .joined(separator: ", ") + ")",
        ]
        if let peakResidentBytes, let residentPerWeightByte {
            lines.append("  peak RSS \(formatBytes(peakResidentBytes)) = "
                         + String(format: "%.3f", residentPerWeightByte) + " × the weights in use"
                         + (residentBeforeBytes.map { " (RSS before the job \(formatBytes($0)))" } ?? ""))
        }
        return lines
    }
}
