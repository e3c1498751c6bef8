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

        init(directory: String = Fixtures.safetensorsModel) throws { checkpoint = try Checkpoint.open(directory: directory) }

        var names: Set<String> { lock.withLock { requested } }

        func tensor(_ name: String, shape: [Int]) throws -> Tensor {
            lock.withLock { _ = requested.insert(name) }
            return try checkpoint.tensor(name, shape: shape)
        }

        func contains(_ name: String) -> Bool { checkpoint.contains(name) }
    }

    /// The top-level parts (`language_model.model.layers.N`, `gen_head`, …) a stage read.
    static func parts(of stage: String, in cluster: TestCluster, model: String = Fixtures.safetensorsModel) throws -> Set<String> {
        let weights = try RecordingWeights(directory: model)
        let settings = try cluster.settings(stage, role: .stage)
        if try ModelKind.detect(directory: model) == .janusFlow {
            _ = try StageService(settings: settings, configuration: try JanusFlowConfiguration.load(directory: model),
                                 weights: Weights(weights))
        } else {
            _ = try StageService(settings: settings, configuration: try JanusConfiguration.load(directory: model),
                                 weights: Weights(weights))
        }
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

    /// JanusFlow: the ShallowUViT encoder at both ends (stage 0 encodes each step's
    /// latents, the last stage re-encodes them for the decoder's conditioning), the
    /// decoder half and the text head at the last; nothing of understanding.
    @Test func janusFlowStagesReadOnlyTheirParts() throws {
        let cluster = try TestCluster(stages: 3)
        let encoder: Set<String> = ["vision_gen_enc_model", "vision_gen_enc_aligner"]
        #expect(try Self.parts(of: "stage-0", in: cluster, model: FlowFixtures.model)
                == encoder.union(["language_model.model.embed_tokens", "language_model.model.layers.0"]))
        #expect(try Self.parts(of: "stage-1", in: cluster, model: FlowFixtures.model) == ["language_model.model.layers.1"])
        #expect(try Self.parts(of: "stage-2", in: cluster, model: FlowFixtures.model) == encoder.union([
            "language_model.model.layers.2", "language_model.model.norm", "language_model.lm_head",
            "vision_gen_dec_aligner_norm", "vision_gen_dec_aligner", "vision_gen_dec_model",
        ]))
    }
}
