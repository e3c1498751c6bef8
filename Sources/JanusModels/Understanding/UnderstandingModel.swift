import JanusTensor
import JanusText

/// What answering questions about images needs from a model, whichever member of the
/// family it is: the LLM, and how pictures become prompt rows.
public protocol UnderstandingModel: Sendable {
    var language: LanguageModel { get }
    /// Side of the square pixel input the vision tower takes.
    var understandingImageSize: Int { get }
    /// The rows each image writes into the prompt, `[n, rows, hidden]`, for normalised
    /// pixels `[n, 3, S, S]`.
    func imageRows(pixels: Tensor) throws -> Tensor
    /// Where those rows go in an expanded prompt (`images_seq_mask`).
    func imageRowPositions(in prompt: MultimodalPrompt, prompts: PromptBuilder) -> [Bool]
}

extension JanusModel: UnderstandingModel {
    public var understandingImageSize: Int { imageEncoder.imageSize }

    public func imageRows(pixels: Tensor) throws -> Tensor { try imageEncoder.embeddings(pixels: pixels) }

    /// Janus / Janus-Pro: the image-token positions only.
    public func imageRowPositions(in prompt: MultimodalPrompt, prompts: PromptBuilder) -> [Bool] {
        prompt.imagesSequenceMask
    }
}
