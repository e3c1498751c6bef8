import Foundation
import JanusImage
import JanusInference
import JanusModels
import JanusTensor
import JanusText

/// What the router needs of the model: no weights, only the configuration, the
/// tokenizer and chat templates, and image preprocessing, to turn client requests into
/// pipeline sequences.
public struct RouterModel: Sendable {
    public let configuration: JanusConfiguration
    public let prompts: PromptBuilder
    public let images: ImageInput
    public let padID: Int
    public let endOfSequenceID: Int

    public init(directory: String) throws {
        configuration = try JanusConfiguration.load(directory: directory)
        prompts = try PromptBuilder.load(directory: directory)
        images = try ImageInput(configuration: PreprocessorConfiguration.load(directory: directory))
        let tokenizerConfig = try TokenizerConfig(directory: URL(fileURLWithPath: directory))
        let eosToken = tokenizerConfig.eosToken ?? "<｜end▁of▁sentence｜>"
        guard let eos = prompts.tokenizer.id(forToken: eosToken) else {
            throw RouterRequestError("the tokenizer has no end-of-sentence token \(eosToken)")
        }
        guard let pad = prompts.tokenizer.id(forToken: prompts.processorConfig.padTag) else {
            throw RouterRequestError("the tokenizer has no pad token \(prompts.processorConfig.padTag)")
        }
        endOfSequenceID = eos
        padID = pad
    }

    /// The generation side length in tokens for an image of `size` pixels (0 = default).
    public func generationGrid(imageSize: Int) throws -> Int {
        let vq = configuration.genVision.params
        let size = imageSize == 0 ? vq.imageSize : imageSize
        guard size > 0, size % vq.downsample == 0, size / vq.downsample <= 128 else {
            throw RouterRequestError("image size \(size) must be a positive multiple of \(vq.downsample) up to \(128 * vq.downsample)")
        }
        return size / vq.downsample
    }

    /// An understanding prompt: the templated ids, where image embeddings go, and the
    /// preprocessed pixels of the pictures (decoded from the files' bytes).
    public func understandingPrompt(question: String, imageFiles: [Data]) throws -> (ids: [Int], imagePositions: [Int], pixels: Tensor?) {
        let pictures = try imageFiles.enumerated().map { index, data -> RGBImage in
            do {
                return try ImageDecoder.decode(data, options: images.decoding).image
            } catch {
                throw RouterRequestError("image \(index): \(error)")
            }
        }
        var conversation = Conversation()
        do {
            try conversation.addUser(question, images: pictures, imageTag: prompts.processorConfig.imageTag)
        } catch {
            throw RouterRequestError("\(error)")
        }
        let prompt = try prompts.understandingPrompt(conversation.messages(template: prompts.template))
        let positions = prompt.imagesSequenceMask.indices.filter { prompt.imagesSequenceMask[$0] }
        return (prompt.inputIDs, positions, pictures.isEmpty ? nil : try images.pixels(pictures))
    }
}

/// A client request that cannot be served as asked (answered with INVALID_ARGUMENT).
public struct RouterRequestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
