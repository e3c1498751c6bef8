import Foundation
import JanusTestSupport

/// The golden cases the cluster must reproduce, and what the reference says about them.
enum Golden {
    static let prompt = "A close-up photo of a red fox sitting in fresh snow, golden hour light."
    static let singleImageQuestion = "<image_placeholder>\nWhat is the animal in this picture doing?"
    static let twoImageQuestion = "<image_placeholder> is photo 1.\n<image_placeholder> is photo 2.\nWhich shows a person?"
    static let singleImage = [Fixtures.path("images/doge.png")]
    static let twoImages = [Fixtures.path("images/astronaut_portrait.png"), Fixtures.path("images/coffee_square.jpg")]

    /// `generation.cfg.generated_tokens`: the greedy grid of each of the 2 images.
    static func generationGrids() throws -> [[Int]] {
        let grids = try GoldenTensors.load("generation.safetensors", "generation.cfg.generated_tokens")
        return (0..<grids.shape[0]).map { grids[$0].integers().map(Int.init) }
    }

    /// `understanding.<name>`: the answer's token ids and text.
    static func answer(_ name: String) throws -> (ids: [Int], text: String) {
        let ids = try GoldenTensors.ids("understanding.safetensors", "understanding.\(name).generated_ids")
        let text = try Fixtures.goldenCase(named: "understanding.\(name)")["generated_text"] as? String ?? "?"
        return (ids, text)
    }
}

/// A generation request, as options of both `janus generate` and `janus submit generate`.
enum GenerationRequest: Hashable, Sendable, CustomStringConvertible {
    /// The golden case: greedy, CFG 5, 2 images of 64 px.
    case greedy
    /// Seeded sampling at temperature 0.9, CFG 5, 2 images of 64 px.
    case seeded(UInt64)
    /// One image of `side` pixels, (side / 16)² tokens: a request that runs long enough
    /// to kill a stage under it.
    case large(side: Int, seed: UInt64)

    var options: [String] {
        let common = ["--prompt", Golden.prompt, "--cfg", "5"]
        switch self {
        case .greedy: return common + ["--greedy", "--count", "2", "--image-size", "64"]
        case .seeded(let seed):
            return common + ["--seed", "\(seed)", "--temperature", "0.9", "--count", "2", "--image-size", "64"]
        case .large(let side, let seed):
            return common + ["--seed", "\(seed)", "--count", "1", "--image-size", "\(side)"]
        }
    }

    var imageCount: Int {
        if case .large = self { return 1 }
        return 2
    }

    var description: String {
        switch self {
        case .greedy: "greedy"
        case .seeded(let seed): "seed \(seed)"
        case .large(let side, let seed): "\(side) px, seed \(seed)"
        }
    }
}

/// Images and token grids of one generation request.
struct GenerationOutput: Sendable, Equatable {
    var pngs: [Data]
    var grids: [[Int]]
}

/// What `submit ask --json` prints.
struct AskOutput: Decodable, Sendable, Equatable {
    let text: String
    let token_ids: [Int]
    let stop_reason: String
}

struct CommandFailure: Error, CustomStringConvertible {
    let command: String
    let status: Int32
    let stderr: String
    var description: String { "`\(command)` exited with \(status): \(stderr)" }
}

/// The `janus` CLI as a client of a cluster, and as the single-process reference.
enum Client {
    /// `janus submit generate --router R …`: the images and grids it wrote.
    static func generate(router: String, _ request: GenerationRequest, output: URL,
                         timeout: Int = 90) throws -> GenerationOutput {
        try runGeneration(["submit", "generate", "--router", router, "--timeout", "\(timeout)"], request, output: output)
    }

    /// `janus generate --model <golden> …` in one process.
    static func generateSingleProcess(_ request: GenerationRequest, output: URL) throws -> GenerationOutput {
        try runGeneration(["generate", "--model", Fixtures.safetensorsModel], request, output: output)
    }

    private static func runGeneration(_ command: [String], _ request: GenerationRequest,
                                      output: URL) throws -> GenerationOutput {
        let tokens = output.appendingPathComponent("tokens.json")
        let arguments = command + request.options + ["--out", output.path, "--dump-tokens", tokens.path]
        let result = try JanusCLI.run(arguments)
        guard result.status == 0 else {
            throw CommandFailure(command: "janus \(command.prefix(2).joined(separator: " ")) (\(request))",
                                 status: result.status, stderr: result.stderr)
        }
        let grids = try JSONDecoder().decode([[Int]].self, from: Data(contentsOf: tokens))
        let pngs = try (0..<request.imageCount).map { try Data(contentsOf: output.appendingPathComponent("\($0).png")) }
        return GenerationOutput(pngs: pngs, grids: grids)
    }

    /// `janus submit ask --router R --image … --max-new-tokens 20 --json QUESTION`.
    static func ask(router: String, images: [String], question: String, greedyFlag: Bool,
                    timeout: Int = 90) throws -> AskOutput {
        var arguments = ["submit", "ask", "--router", router, "--timeout", "\(timeout)", "--max-new-tokens", "20", "--json"]
        for image in images { arguments += ["--image", image] }
        if greedyFlag { arguments.append("--greedy") }
        let result = try JanusCLI.run(arguments + [question])
        guard result.status == 0 else {
            throw CommandFailure(command: "janus submit ask", status: result.status, stderr: result.stderr)
        }
        return try JSONDecoder().decode(AskOutput.self, from: Data(result.stdout.utf8))
    }
}

/// Single-process results (`janus generate`), computed once per test run.
final class References: @unchecked Sendable {
    static let shared = References()
    private let lock = NSLock()
    private var outputs: [GenerationRequest: GenerationOutput] = [:]

    /// The single-process output of each request, running the missing ones at once.
    func outputs(for requests: [GenerationRequest]) throws -> [GenerationRequest: GenerationOutput] {
        lock.lock()
        defer { lock.unlock() }
        let missing = Array(Set(requests).subtracting(outputs.keys))
        let results = Processes.parallel(missing.map { request in
            { @Sendable () throws -> GenerationOutput in
                let directory = try Fixtures.temporaryDirectory("janus-it-reference")
                defer { try? FileManager.default.removeItem(at: directory) }
                return try Client.generateSingleProcess(request, output: directory)
            }
        })
        for (request, result) in zip(missing, results) { outputs[request] = try result.get() }
        return outputs.filter { requests.contains($0.key) }
    }

    func output(for request: GenerationRequest) throws -> GenerationOutput {
        try outputs(for: [request])[request]!
    }
}
