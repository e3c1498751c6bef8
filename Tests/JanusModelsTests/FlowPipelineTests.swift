import JanusModels
import JanusTensor
import JanusTestSupport
import JanusText
import Testing

/// `pipeline.ode_to_image`: the ODE's final latents through the SDXL-VAE, both from the
/// reference latents and end to end from our own ODE run.
@Suite struct FlowPipelineTests {
    @Test func referenceLatentsDecodeToTheReferenceImages() throws {
        let vae = try VAEImageDecoder.load(directory: FlowFixtures.vae)
        let latents = try FlowFixtures.tensor("ode.run", "z_final")
        try expectGolden(try vae.decode(latents: latents), "pipeline.ode_to_image", "decoded_f32")
        let rgb = try vae.decodeToRGB(latents: latents)
        try expectGolden(Tensor(shape: [2, 80, 80, 3], rgb.flatMap { $0 }), "pipeline.ode_to_image", "decoded_uint8")
    }

    @Test func ourODERunDecodesToTheReferenceImages() throws {
        let model = try JanusFlowModel.load(directory: FlowFixtures.model)
        let prompts = try PromptBuilder.loadJanusFlow(directory: FlowFixtures.model)
        let latents = try model.sampler(padID: try prompts.padID).generate(FlowGenerationRequest(
            promptIDs: try FlowFixtures.ids("ode.run", "input_ids"), count: 2, cfgWeight: 2, steps: 4,
            initialLatents: try FlowFixtures.tensor("ode.run", "z0")))
        let vae = try VAEImageDecoder.load(directory: FlowFixtures.vae)
        try expectGolden(try vae.decode(latents: latents), "pipeline.ode_to_image", "decoded_f32")
    }
}
