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
    /// How the model draws.
    public enum Generation: Sendable {
        /// Janus / Janus-Pro: VQ image tokens, sampled one position at a time.
        case vqTokens(VQConfiguration)
        /// JanusFlow: latents through a rectified-flow ODE, decoded by a VAE.
        case flow(JanusFlowConfiguration)
    }

    public let kind: ModelKind
    public let language: LanguageConfiguration
    public let generation: Generation
    public let prompts: PromptBuilder
    public let images: ImageInput
    public let padID: Int
    public let endOfSequenceID: Int

    public init(directory: String) throws {
        kind = try ModelKind.detect(directory: directory)
        switch kind {
        case .janus:
            let configuration = try JanusConfiguration.load(directory: directory)
            language = configuration.language
            generation = .vqTokens(configuration.genVision.params)
            prompts = try PromptBuilder.load(directory: directory)
        case .janusFlow:
            let configuration = try JanusFlowConfiguration.load(directory: directory)
            language = configuration.language
            generation = .flow(configuration)
            prompts = try PromptBuilder.loadJanusFlow(directory: directory)
        case .vae:
            throw RouterRequestError("\(directory) is a VAE; the router needs the Janus, Janus-Pro or JanusFlow checkpoint "
                                     + "(the VAE is for the decoders, with --vae)")
        }
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
        guard case .vqTokens(let vq) = generation else {
            throw RouterRequestError("this cluster serves JanusFlow, which has no image-token grid")
        }
        let size = imageSize == 0 ? vq.imageSize : imageSize
        guard size > 0, size % vq.downsample == 0, size / vq.downsample <= 128 else {
            throw RouterRequestError("image size \(size) must be a positive multiple of \(vq.downsample) up to \(128 * vq.downsample)")
        }
        return size / vq.downsample
    }

    /// An understanding prompt: the templated ids, where image embeddings go (the image
    /// tokens; for JanusFlow `<begin_of_image>` too), and the preprocessed pixels of the
    /// pictures (decoded from the files' bytes).
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
        let mask = kind == .janusFlow ? JanusFlowModel.imageRowPositions(in: prompt, prompts: prompts)
                                      : prompt.imagesSequenceMask
        let positions = mask.indices.filter { mask[$0] }
        return (prompt.inputIDs, positions, pictures.isEmpty ? nil : try images.pixels(pictures))
    }
}

/// A client request that cannot be served as asked (answered with INVALID_ARGUMENT).
public struct RouterRequestError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
