import JanusModels
import JanusTensor
import JanusTestSupport
import Testing

/// The SDXL-VAE decoder (diffusers layout) against `vae.square`, `vae.rect` and the
/// end-to-end `pipeline.ode_to_image`.
@Suite struct VAEDecoderTests {
    let vae: VAEImageDecoder

    init() throws {
        vae = try VAEImageDecoder.load(directory: FlowFixtures.vae)
    }

    @Test func configurationDecodesWithTheSDXLLayout() throws {
        let c = vae.configuration
        #expect(c.blockOutChannels == [32, 64, 128, 128])
        #expect(c.latentChannels == 4 && c.layersPerBlock == 2 && c.normNumGroups == 32)
        #expect(c.scalingFactor == 0.13025)
        #expect(c.upsamplingFactor == 8)
        let sdxl = try AutoencoderKLConfiguration.sdxl
        #expect(sdxl.blockOutChannels == [128, 256, 512, 512] && sdxl.sampleSize == 1024)
    }

    @Test(arguments: ["vae.square", "vae.rect"])
    func decodeMatchesDiffusers(name: String) throws {
        let z = try FlowFixtures.tensor(name, "z")
        var stages: [VAEStage: Tensor] = [:]
        let decoded = try vae.decode(latents: z) { stages[$0] = $1 }
        try expectGolden(decoded, name, "decoded_f32")
        let (atol, rtol) = try FlowFixtures.tolerance(name, "z_scaled")
        expectClose(actual: try #require(stages[.scaledLatents]), expected: try FlowFixtures.tensor(name, "z_scaled")[0]
            .reshaped([1] + z.shape.dropFirst()), atol: atol, rtol: rtol, "z_scaled")
        let debug: [(VAEStage, String)] = [(.postQuantConv, "debug_post_quant_conv"), (.convIn, "debug_conv_in"),
                                           (.midBlock, "debug_mid_block"), (.upBlock(0), "debug_up_block0"),
                                           (.upBlock(1), "debug_up_block1"), (.upBlock(2), "debug_up_block2"),
                                           (.upBlock(3), "debug_up_block3"), (.convNormOut, "debug_conv_norm_out")]
        let goldenTensors = try FlowFixtures.goldenCase(named: name)["tensors"] as? [String: Any] ?? [:]
        for (stage, key) in debug where goldenTensors[key] != nil {
            try expectGolden(try #require(stages[stage]), name, key)
        }
        let rgb = try vae.decodeToRGB(latents: z)
        try expectGolden(Tensor(shape: [rgb.count, 8 * z.shape[2], 8 * z.shape[3], 3], rgb.flatMap { $0 }),
                         name, "decoded_uint8")
    }

    @Test func wrongLatentsAreRefused() throws {
        #expect(throws: VAEDecodeError.latentShape(expected: "[N, 4, h, w]", got: [1, 8, 4, 4])) {
            try vae.decode(latents: Tensor(zeros: [1, 8, 4, 4]))
        }
        #expect(throws: VAEDecodeError.latentDType(.i64)) {
            try vae.decode(latents: Tensor(zeros: [1, 4, 2, 2], dtype: .i64))
        }
    }
}
