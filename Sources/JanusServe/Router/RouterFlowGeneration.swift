import Foundation
import JanusModels
import JanusTensor
import JanusWire

/// JanusFlow on the cluster: a generation request becomes a FLOW sequence (the pipeline
/// runs the ODE, one step per pass), its final latents go to a VAE decoder per image.
extension RouterServer {
    /// A FLOW sequence as `janus generate` runs it in one process: the same prompt ids,
    /// guidance, step count and seed (the last stage draws the initial noise from it).
    func prepareFlowGeneration(_ id: String, _ peer: Data, _ request: GenerateRequest,
                               configuration c: JanusFlowConfiguration, now: UInt64, deadline: UInt64) throws -> RouterJob {
        let sampling = request.sampling
        // The client's untouched defaults (temperature 1 or unset) say nothing.
        guard !sampling.greedy, sampling.topK == 0, sampling.topP == 0, [0, 1].contains(sampling.temperature) else {
            throw RouterRequestError("temperature, top-k, top-p and greedy sample VQ tokens; this cluster serves "
                                     + "JanusFlow, which integrates latents (only the seed counts)")
        }
        guard request.imageSize == 0 else {
            throw RouterRequestError("JanusFlow draws latents of a fixed size (\(c.latentSize)×\(c.latentSize)); "
                                     + "the image size cannot be chosen")
        }
        let steps = request.steps == 0 ? FlowGenerationRequest.defaultSteps : Int(request.steps)
        guard (1...1000).contains(steps) else { throw RouterRequestError("steps must be in 1…1000, got \(steps)") }
        let ids = model.prompts.generationPromptIDs(request.prompt)
        guard ids.count >= 2, ids.count + c.imageTokenCount <= c.language.maxPositionEmbeddings else {
            throw RouterRequestError("\(ids.count) prompt tokens + \(c.imageTokenCount) image tokens do not fit the "
                                     + "model's \(c.language.maxPositionEmbeddings) positions")
        }
        let spec = JanusWire.SequenceSpec(
            sequenceID: id, mode: .flow, images: request.count,
            cfgWeight: request.defaultCFG ? FlowGenerationRequest.defaultCFGWeight : request.cfgWeight,
            sampling: Sampling(seed: sampling.seed), maxTokens: UInt32(c.imageTokenCount), padID: UInt32(model.padID),
            promptTokens: UInt32(ids.count), flowSteps: UInt32(steps), latentChannels: UInt32(c.latentChannels),
            latentSize: UInt32(c.latentSize))
        let job = RouterJob(id: id, client: peer, kind: .generate, now: now, deadline: deadline,
                            spec: spec, promptIDs: ids, phase: .queued)
        job.gridSide = c.latentSize
        // JanusFlow images have no tokens: empty grids keep the per-image bookkeeping.
        job.tokens = Array(repeating: [], count: Int(request.count))
        return job
    }

    /// One step of a FLOW sequence: progress, and once every step ran, the final
    /// latents go to the decoders (one request per image).
    func flowProgressed(_ job: RouterJob, _ event: SequenceEvent, message: WireMessage) {
        reply(job, .progress(ProgressUpdate(phase: "generating", done: event.step, total: job.spec.flowSteps)))
        guard event.tokens.finished else { return }
        let expected = [Int(job.spec.images), Int(job.spec.latentChannels), Int(job.spec.latentSize), Int(job.spec.latentSize)]
        guard event.tokens.finishReason == "complete",
              let latents = message.tensor(named: SequenceTokens.latentsTensorName), latents.dtype == .f32,
              latents.shape == expected else {
            return fail(job, .internalError, "the pipeline finished \(job.id) (\(event.tokens.finishReason)) "
                            + "without its final latents f32 \(expected)")
        }
        job.latents = latents
        startDecoding(job)
    }
}
