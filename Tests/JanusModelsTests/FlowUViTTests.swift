import JanusModels
import JanusTensor
import JanusTestSupport
import Testing

/// The ShallowUViT halves against `uvit.encoder` and `uvit.decoder`.
@Suite struct FlowUViTTests {
    let model: FlowVelocityModel

    init() throws {
        model = try JanusFlowModel.load(directory: FlowFixtures.model).velocityModel
    }

    @Test func encoderMatchesTheReference() throws {
        let name = "uvit.encoder"
        let z = try FlowFixtures.tensor(name, "z")
        let timesteps = try FlowFixtures.tensor(name, "t").floats()
        let encoder = model.visionGenEncModel
        try expectGolden(TimestepEmbedding.sinusoids(timesteps, channels: encoder.timeEmbed.projectionChannels),
                         name, "time_proj")

        var stages: [ShallowUViTEncoder.Stage: Tensor] = [:]
        let output = encoder(z, timesteps: timesteps) { stages[$0] = channelsFirst($1) }
        try expectGolden(output.timeEmbedding, name, "t_emb")
        try expectGolden(try #require(stages[.inConv]), name, "debug_in_conv")
        try expectGolden(try #require(stages[.block(0)]), name, "debug_block0")
        try expectGolden(try #require(stages[.block(1)]), name, "debug_block1")
        try expectGolden(channelsFirst(output.grid), name, "z_emb")
        #expect(output.skips.count == 1)
        try expectGolden(channelsFirst(output.skips[0]), name, "hs0")
        try expectGolden(model.imageTokens(grid: output.grid), name, "z_tokens")
    }

    @Test func decoderMatchesTheReference() throws {
        let name = "uvit.decoder"
        let x = nchwToNhwc(try FlowFixtures.tensor(name, "x"))
        let skip = nchwToNhwc(try FlowFixtures.tensor(name, "hs0"))
        var stages: [ShallowUViTDecoder.Stage: Tensor] = [:]
        let velocity = model.visionGenDecModel(x, skips: [skip], timeEmbedding: try FlowFixtures.tensor(name, "t_emb")) {
            stages[$0] = channelsFirst($1)
        }
        try expectGolden(try #require(stages[.concat]), name, "debug_concat")
        try expectGolden(try #require(stages[.midBlock]), name, "debug_mid_block")
        try expectGolden(velocity, name, "v")
    }
}
