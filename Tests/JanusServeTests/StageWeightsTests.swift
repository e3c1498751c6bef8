import Foundation
import JanusCheckpoint
import JanusModels
import JanusServe
import JanusTensor
import JanusTestSupport
import Testing

/// Each stage loads only its own weights.
@Suite struct StageWeightsTests {
    /// The golden checkpoint, remembering every tensor asked for.
    final class RecordingWeights: WeightProvider, @unchecked Sendable {
        let checkpoint: Checkpoint
        private let lock = NSLock()
        private var requested: Set<String> = []

        init() throws { checkpoint = try Checkpoint.open(directory: Fixtures.safetensorsModel) }

        var names: Set<String> { lock.withLock { requested } }

        func tensor(_ name: String, shape: [Int]) throws -> Tensor {
            lock.withLock { _ = requested.insert(name) }
            return try checkpoint.tensor(name, shape: shape)
        }

        func contains(_ name: String) -> Bool { checkpoint.contains(name) }
    }

    /// The top-level parts (`language_model.model.layers.N`, `gen_head`, …) a stage read.
    static func parts(of stage: String, in cluster: TestCluster) throws -> Set<String> {
        let weights = try RecordingWeights()
        _ = try StageService(settings: try cluster.settings(stage, role: .stage),
                             configuration: try JanusConfiguration.load(directory: Fixtures.safetensorsModel),
                             weights: Weights(weights))
        return Set(weights.names.map { name in
            let parts = name.split(separator: ".")
            let depth = name.hasPrefix("language_model.model.layers.") ? 4
                : name.hasPrefix("language_model.model.") ? 3 : name.hasPrefix("language_model.") ? 2 : 1
            return parts.prefix(depth).joined(separator: ".")
        })
    }

    @Test func firstMiddleAndLastStagesReadOnlyTheirParts() throws {
        let cluster = try TestCluster(stages: 3)
        #expect(try Self.parts(of: "stage-0", in: cluster) == [
            "language_model.model.embed_tokens", "gen_embed", "gen_aligner", "language_model.model.layers.0",
        ])
        #expect(try Self.parts(of: "stage-1", in: cluster) == ["language_model.model.layers.1"])
        #expect(try Self.parts(of: "stage-2", in: cluster) == [
            "language_model.model.layers.2", "language_model.model.norm", "language_model.lm_head", "gen_head",
        ])
    }
}
