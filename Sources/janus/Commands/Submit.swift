import ArgumentParser
import Foundation
import JanusServe
import JanusWire

/// `janus submit`: run requests on a cluster through its router.
struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send generation or understanding requests to a running cluster.",
        subcommands: [SubmitGenerate.self, SubmitAsk.self])
}

struct SubmitGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate", abstract: "Generate images on the cluster (like `janus generate`).")

    @OptionGroup var address: RouterAddress
    @OptionGroup var options: GenerationOptionGroup
    @OptionGroup var flowSteps: FlowStepsOption
    @OptionGroup var tokens: TokenSamplingOptionGroup

    @Option(help: "Seconds the request may take before the router gives up on it.")
    var timeout: Double = 600

    func run() throws {
        let context = try ZMQContext()
        let client = try RouterClient(endpoint: try address.endpoint(), context: context)
        let output = try options.outputDirectory()
        let seed = options.resolvedSeed(announce: !tokens.greedy)
        var grids = [[Int]](repeating: [], count: options.count)
        // Image tokens (Janus-Pro) or ODE steps (JanusFlow): the cluster's model decides.
        let bar = ProgressBar(label: "generating", total: 1, unit: "step")
        var written: [Int: String] = [:]
        // Without --cfg the router applies its model's default (5 Janus-Pro, 2 JanusFlow).
        let request = GenerateRequest(prompt: options.prompt, count: UInt32(options.count), cfgWeight: options.cfg ?? 5,
                                      sampling: tokens.wireSampling(seed: seed), imageSize: UInt32(tokens.imageSize ?? 0),
                                      steps: UInt32(flowSteps.steps ?? 0), defaultCFG: options.cfg == nil)
        _ = try client.generate(request, deadline: timeout, onProgress: { update in
            if update.phase == "generating" { bar.retotal(Int(update.total)); bar.update(Int(update.done)) }
        }, onImage: { index, png, grid in
            let file = output.appendingPathComponent("\(index).png")
            try png.write(to: file, options: .atomic)
            grids[index] = grid
            written[index] = file.path
        })
        for index in written.keys.sorted() { writeOut(written[index]! + "\n") }
        if tokens.dumpTokens != nil && grids.allSatisfy(\.isEmpty) {
            throw ValidationError("--dump-tokens: the cluster serves JanusFlow, whose images have no tokens.")
        }
        try tokens.writeTokens(grids)
    }
}

struct SubmitAsk: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask", abstract: "Ask about images on the cluster (like `janus ask`).")

    @OptionGroup var address: RouterAddress

    @Option(name: .customLong("image"), help: "A PNG or JPEG file (repeatable).")
    var images: [String] = []

    @OptionGroup var answerOptions: AnswerOptionGroup

    @Flag(help: "Print {\"text\": …, \"token_ids\": […], …} at the end instead of streaming.")
    var json = false

    @Option(help: "Seconds the request may take before the router gives up on it.")
    var timeout: Double = 600

    @Argument(help: "The question.")
    var question: String

    func run() throws {
        let files = try images.map { path -> Data in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path)")
            }
            return data
        }
        let context = try ZMQContext()
        let client = try RouterClient(endpoint: try address.endpoint(), context: context)
        let sampling = answerOptions.wireSampling()
        let done = try client.ask(AskRequest(question: question, maxNewTokens: UInt32(answerOptions.maxNewTokens),
                                             sampling: sampling),
                                  images: files, deadline: timeout) { text in
            if !json { writeOut(text) }
        }
        if json {
            try printJSON(Ask.Output(text: done.text, token_ids: done.tokenIDs.map(Int.init),
                                     stop_reason: done.stopReason, prompt_tokens: Int(done.promptTokens)))
        } else {
            writeOut("\n")
        }
    }
}
