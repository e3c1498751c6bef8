import Foundation
import JanusTensor

/// How closely a run's next-token distributions follow a reference run's, for
/// `janus bench accuracy`: both runs decode greedily on their own (free-running), each
/// step recording its logits.
///
/// - `agreement`: the fraction of the reference's greedy tokens the run reproduced at the
///   same position (over the reference's steps; a step the run never reached counts as a miss).
/// - `meanKL`: the mean KL(reference ‖ run) of the softmax distributions, in nats, over
///   the steps before the first disagreement, where both saw the same context.
public struct NextTokenAgreement: Sendable, Encodable {
    public let steps: Int
    public let agreement: Double
    public let meanKL: Double
    public let comparedSteps: Int

    enum CodingKeys: String, CodingKey {
        case steps, agreement, meanKL = "mean_kl", comparedSteps = "kl_steps"
    }

    /// `reference` and `run`: per step, the tokens chosen and the logits `[rows, vocab]` they came from.
    public init(reference: [(tokens: [Int], logits: Tensor)], run: [(tokens: [Int], logits: Tensor)]) {
        steps = reference.count
        let matching = zip(reference, run).filter { $0.tokens == $1.tokens }.count
        agreement = steps == 0 ? 1 : Double(matching) / Double(steps)
        let identicalPrefix = zip(reference, run).prefix { $0.tokens == $1.tokens }.count
        // The step that first disagrees still saw the same context, so it is compared too.
        let compared = min(identicalPrefix + 1, min(reference.count, run.count))
        var total = 0.0, rows = 0
        for step in 0..<compared {
            for (p, q) in zip(Self.rows(reference[step].logits), Self.rows(run[step].logits)) {
                total += Self.divergence(p, q)
                rows += 1
            }
        }
        comparedSteps = compared
        meanKL = rows == 0 ? 0 : total / Double(rows)
    }

    /// KL(softmax(p) ‖ softmax(q)) in double precision.
    static func divergence(_ p: [Float], _ q: [Float]) -> Double {
        let logP = logSoftmax(p), logQ = logSoftmax(q)
        var sum = 0.0
        for index in logP.indices { sum += exp(logP[index]) * (logP[index] - logQ[index]) }
        return max(sum, 0)
    }

    private static func logSoftmax(_ logits: [Float]) -> [Double] {
        let values = logits.map(Double.init)
        let largest = values.max() ?? 0
        let logSum = log(values.reduce(0) { $0 + exp($1 - largest) }) + largest
        return values.map { $0 - logSum }
    }

    private static func rows(_ logits: Tensor) -> [[Float]] {
        let values = logits.floats()
        let width = logits.shape.last ?? values.count
        return stride(from: 0, to: values.count, by: max(width, 1)).map { Array(values[$0..<min($0 + width, values.count)]) }
    }
}
