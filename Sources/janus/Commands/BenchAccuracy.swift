import ArgumentParser
import Foundation
import JanusImage
import JanusInference
import JanusModels
import JanusTensor
import JanusText

/// `janus bench accuracy`: how far `--compute bf16` / `--weights int8` / `--kv-cache` move
/// the model from the parity path (f32 compute, stored weights, f32 KV cache), on an understanding prompt, a text
/// prompt and a CFG image generation: greedy-token agreement and the mean KL divergence
/// of the next-token distributions (see `NextTokenAgreement`).
struct BenchAccuracy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Greedy-token agreement and next-token KL of a compute mode against the f32 path.")

    @OptionGroup var modelOption: ModelOption
    @OptionGroup var computeOptions: ComputeOptions

    @Option(help: "Tokens decoded for the text and understanding prompts.")
    var textTokens = 16

    @Option(help: "Image tokens generated for the CFG case (default: the model's whole grid).")
    var imageTokens: Int?

    @Flag(help: "Print one JSON document.")
    var json = false

    func validate() throws {
        guard textTokens >= 1, (imageTokens ?? 1) >= 1 else { throw ValidationError("token counts must be ≥ 1") }
    }

    /// One way of running the model: what `ComputeOptions.apply` makes process-wide.
    struct Setting: Encodable {
        let compute: ComputeMode
        let weights: LinearWeightFormat
        let kvCache: KVCacheFormat

        static let reference = Setting(compute: .f32, weights: .stored, kvCache: .f32)

        func activate() {
            ComputeMode.processDefault = compute
            LinearWeightFormat.languageModelDefault = weights
            KVCacheFormat.processChoice = kvCache
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(["compute": compute.rawValue, "weights": weights.rawValue, "kv_cache": kvCache.rawValue])
        }

        var description: String { "\(compute.rawValue) compute, \(weights.rawValue) weights, \(kvCache.rawValue) KV cache" }
    }

    struct CaseResult: Encodable {
        let name: String
        let result: NextTokenAgreement

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try result.encode(to: encoder)
        }

        enum CodingKeys: String, CodingKey { case name }
    }

    struct Report: Encodable {
        let reference: Setting
        let candidate: Setting
        let cases: [CaseResult]
    }

    typealias Trace = [(tokens: [Int], logits: Tensor)]

    func run() throws {
        computeOptions.apply()
        let candidate = Setting(compute: .processDefault, weights: .languageModelDefault, kvCache: .processDefault)
        let directory = try modelOption.resolve()
        let settings = [Setting.reference, candidate]
        var cases: [CaseResult] = []

        // Each setting loads its own model: the weight format is fixed at load.
        let assistants = try settings.map { setting in
            setting.activate()
            return try Assistant.load(directory: directory)
        }
        func compareAnswers(_ name: String, _ question: String, images: [RGBImage]) throws {
            let traces = try zip(settings, assistants).map { setting, assistant in
                setting.activate()
                return try answerTrace(assistant, question: question, images: images)
            }
            cases.append(CaseResult(name: name, result: NextTokenAgreement(reference: traces[0], run: traces[1])))
        }
        try compareAnswers("understanding", "<image_placeholder>\nDescribe this picture in detail.",
                           images: [Self.testCard])
        try compareAnswers("text", "Explain in two sentences why the sky is blue.", images: [])

        if try ModelKind.detect(directory: directory) == .janus {
            let traces = try settings.map { setting in
                setting.activate()
                return try generationTrace(directory: directory)
            }
            cases.append(CaseResult(name: "cfg_generation", result: NextTokenAgreement(reference: traces[0], run: traces[1])))
        }
        candidate.activate()

        if json {
            try printJSON(Report(reference: .reference, candidate: candidate, cases: cases))
        } else {
            print("\(candidate.description) against \(Setting.reference.description)")
            for item in cases {
                let r = item.result
                print(String(format: "%-16@ agreement %.4f over %d steps, mean KL %.3e nats over %d steps",
                             item.name as NSString, r.agreement, r.steps, r.meanKL, r.comparedSteps))
            }
        }
    }

    private func answerTrace(_ assistant: Assistant, question: String, images: [RGBImage]) throws -> Trace {
        var conversation = Conversation()
        try conversation.addUser(question, images: images, imageTag: assistant.prompts.processorConfig.imageTag)
        var trace: Trace = []
        // No stop tokens: both runs decode the same number of steps unless a stop string ends one.
        _ = try assistant.answer(conversation, options: AnswerOptions(maxNewTokens: textTokens, stopTokenIDs: []),
                                 onStep: { trace.append(([$0.token], $0.logits)) })
        return trace
    }

    private func generationTrace(directory: String) throws -> Trace {
        let model = try JanusModel.load(directory: directory)
        let builder = try PromptBuilder.load(directory: directory)
        let vq = model.configuration.genVision.params
        let side = vq.imageSize / vq.downsample
        let request = ImageGenerationRequest(
            promptIDs: builder.generationPromptIDs("A close-up photo of a red fox sitting in fresh snow."),
            count: 1, cfgWeight: 5, imageTokenCount: imageTokens ?? side * side, sampling: .greedy)
        var trace: Trace = []
        _ = try model.imageGenerator(padID: try builder.padID).generate(request) {
            trace.append(($0.tokens, $0.guidedLogits))
        }
        return trace
    }

    /// A 96 x 64 picture of colour gradients and bars: deterministic, and no file to ship.
    static let testCard: RGBImage = {
        let (width, height) = (96, 64)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let offset = (y * width + x) * 3
                pixels[offset] = UInt8(x * 255 / (width - 1))
                pixels[offset + 1] = UInt8(y * 255 / (height - 1))
                pixels[offset + 2] = (x / 12) % 2 == 0 ? 200 : 40
            }
        }
        return RGBImage(width: width, height: height, pixels: pixels)
    }()
}
