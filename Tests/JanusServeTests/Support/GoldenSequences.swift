import JanusServe
import JanusTensor
import JanusTestSupport
import JanusWire

/// The golden generation and understanding runs as pipeline submissions, with the
/// results the reference produced.
enum GoldenSequences {
    /// `generation.cfg`: greedy, CFG weight 5, 2 images of 16 tokens.
    static func generation(id: String, deadline: UInt64 = 0) throws -> WireMessage {
        let rows = try GoldenTensors.load("generation.safetensors", "generation.cfg.tokens")
        let prompt = rows[0].integers()
        // The unconditional row: BOS, then the pad id up to `<begin_of_image>`.
        let padID = rows[1].integers()[1]
        let spec = JanusWire.SequenceSpec(sequenceID: id, mode: .image, images: 2, cfgWeight: 5,
                                          sampling: Sampling(greedy: true), maxTokens: 16,
                                          padID: UInt32(padID), promptTokens: UInt32(prompt.count))
        return WireMessage(requestID: id, deadlineMilliseconds: deadline, body: .submitSequence(SubmitSequence(spec: spec)),
                           tensors: ["prompt_ids": Tensor(shape: [prompt.count], prompt)])
    }

    /// The reference's token grid of each image.
    static func generationGrids() throws -> [[Int64]] {
        let grids = try GoldenTensors.load("generation.safetensors", "generation.cfg.generated_tokens")
        return (0..<grids.shape[0]).map { grids[$0].integers() }
    }

    static let understandingFile = "understanding.safetensors"
    static let understandingCase = "understanding.single_image"

    /// `understanding.single_image`: greedy, 20 new tokens, the picture's embeddings
    /// spliced in at the image positions.
    static func understanding(id: String, maxTokens: UInt32 = 20) throws -> WireMessage {
        let name = understandingCase
        let ids = try GoldenTensors.load(understandingFile, "\(name).input_ids").integers()
        let mask = try GoldenTensors.load(understandingFile, "\(name).images_seq_mask").integers()
        let embeddings = try GoldenTensors.load(understandingFile, "\(name).image_embeds")
        let positions = mask.indices.filter { mask[$0] == 1 }.map { Int64($0) }
        let spec = JanusWire.SequenceSpec(sequenceID: id, mode: .text, sampling: Sampling(greedy: true),
                                          maxTokens: maxTokens, stopTokenIDs: [3001], promptTokens: UInt32(ids.count))
        return WireMessage(requestID: id, body: .submitSequence(SubmitSequence(spec: spec)), tensors: [
            "prompt_ids": Tensor(shape: [ids.count], ids),
            "image_embeddings": embeddings.reshaped([positions.count, embeddings.shape[2]]).copy(),
            "image_positions": Tensor(shape: [positions.count], positions),
        ])
    }

    static func understandingAnswer() throws -> [Int64] {
        try GoldenTensors.load(understandingFile, "\(understandingCase).generated_ids").integers()
    }

    /// A text sequence that runs for `maxTokens` steps (no stop tokens): something to
    /// release, or to outlive its deadline.
    static func longText(id: String, maxTokens: UInt32 = 4000, deadline: UInt64 = 0) -> WireMessage {
        let prompt: [Int64] = [3000, 39, 2636, 11]
        let spec = JanusWire.SequenceSpec(sequenceID: id, mode: .text, sampling: Sampling(greedy: true),
                                          maxTokens: maxTokens, promptTokens: UInt32(prompt.count))
        return WireMessage(requestID: id, deadlineMilliseconds: deadline, body: .submitSequence(SubmitSequence(spec: spec)),
                           tensors: ["prompt_ids": Tensor(shape: [prompt.count], prompt)])
    }
}
