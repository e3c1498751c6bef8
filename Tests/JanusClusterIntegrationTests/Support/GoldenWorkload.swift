import Foundation
import Testing

/// The concurrent mix of golden requests tests 1 and 2 send through a router, checked
/// against the reference: greedy token grids against `generation.cfg.generated_tokens`,
/// every PNG byte for byte against what single-process `janus generate` writes for the
/// same request (greedy and seeded sampling), and every answer's token ids and text
/// against `understanding.single_image` / `understanding.two_images`.
enum GoldenWorkload {
    enum Job: Sendable, CustomStringConvertible {
        case generate(GenerationRequest)
        case ask(name: String, images: [String], question: String, greedyFlag: Bool)

        var description: String {
            switch self {
            case .generate(let request): "generate (\(request))"
            case .ask(let name, _, _, let greedy): "ask \(name)\(greedy ? " --greedy" : "")"
            }
        }
    }

    enum Outcome: Sendable {
        case images(GenerationOutput)
        case answer(AskOutput)
    }

    static let seed: UInt64 = 1234

    /// Several of each kind at once: 3 greedy and 1 seeded generation, 2 single-image
    /// questions with `--greedy`, 2 two-image questions with the default (greedy) sampling.
    static let jobs: [Job] = [
        .generate(.greedy), .ask(name: "single_image", images: Golden.singleImage, question: Golden.singleImageQuestion, greedyFlag: true),
        .generate(.seeded(seed)), .ask(name: "two_images", images: Golden.twoImages, question: Golden.twoImageQuestion, greedyFlag: false),
        .generate(.greedy), .ask(name: "single_image", images: Golden.singleImage, question: Golden.singleImageQuestion, greedyFlag: true),
        .generate(.greedy), .ask(name: "two_images", images: Golden.twoImages, question: Golden.twoImageQuestion, greedyFlag: false),
    ]

    /// Sends every job at once (one client process each) and checks every result.
    static func run(router: String, scratch: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let references = try References.shared.outputs(for: [.greedy, .seeded(seed)])
        let goldenGrids = try Golden.generationGrids()
        // The reference itself must be the golden one, or the comparison proves nothing.
        try #require(references[.greedy]?.grids == goldenGrids, "single-process greedy grids differ from the golden set",
                     sourceLocation: sourceLocation)
        // And the comparisons can tell results apart.
        try #require(references[.greedy]?.pngs != references[.seeded(seed)]?.pngs, "greedy and seeded images coincide",
                     sourceLocation: sourceLocation)
        try #require(try Golden.answer("single_image").ids != Golden.answer("two_images").ids, sourceLocation: sourceLocation)

        let started = Date()
        let results = Processes.parallel(jobs.enumerated().map { index, job in
            { @Sendable () throws -> Outcome in
                switch job {
                case .generate(let request):
                    let output = scratch.appendingPathComponent("job-\(index)")
                    return .images(try Client.generate(router: router, request, output: output))
                case .ask(_, let images, let question, let greedyFlag):
                    return .answer(try Client.ask(router: router, images: images, question: question, greedyFlag: greedyFlag))
                }
            }
        })
        let elapsed = Date().timeIntervalSince(started)

        for (job, result) in zip(jobs, results) {
            let outcome: Outcome
            do {
                outcome = try result.get()
            } catch {
                Issue.record("\(job) failed: \(error)", sourceLocation: sourceLocation)
                continue
            }
            switch (job, outcome) {
            case (.generate(let request), .images(let output)):
                let reference = references[request]!
                if request == .greedy {
                    #expect(output.grids == goldenGrids, "\(job): token grids differ from generation.cfg.generated_tokens",
                            sourceLocation: sourceLocation)
                }
                #expect(output.grids == reference.grids, "\(job): token grids differ from single-process",
                        sourceLocation: sourceLocation)
                #expect(output.pngs.count == reference.pngs.count && zip(output.pngs, reference.pngs).allSatisfy { $0 == $1 },
                        "\(job): PNG bytes differ from single-process janus generate", sourceLocation: sourceLocation)
            case (.ask(let name, _, _, _), .answer(let answer)):
                let golden = try Golden.answer(name)
                #expect(answer.token_ids == golden.ids, "\(job): token ids", sourceLocation: sourceLocation)
                #expect(answer.text == golden.text, "\(job): text", sourceLocation: sourceLocation)
                #expect(answer.stop_reason == "max_tokens", "\(job): stop reason", sourceLocation: sourceLocation)
            default:
                Issue.record("\(job): unexpected outcome \(outcome)", sourceLocation: sourceLocation)
            }
        }
        print("golden workload: \(jobs.count) concurrent requests in \(String(format: "%.1f", elapsed)) s")
    }
}
