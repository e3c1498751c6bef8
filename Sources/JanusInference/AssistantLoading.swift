import Foundation
import JanusImage
import JanusModels
import JanusText

extension Assistant {
    /// The understanding pipeline of a checkpoint directory (Janus / Janus-Pro or
    /// JanusFlow, told from config.json): weights, tokenizer and chat settings, image
    /// preprocessing.
    public static func load(directory: String, decoding: ImageInputDecoding = .default) throws -> Assistant {
        let kind = try ModelKind.detect(directory: directory)
        let model: any UnderstandingModel
        let prompts: PromptBuilder
        switch kind {
        case .janus:
            model = try JanusModel.load(directory: directory)
            prompts = try PromptBuilder.load(directory: directory)
        case .janusFlow:
            model = try JanusFlowModel.load(directory: directory)
            prompts = try PromptBuilder.loadJanusFlow(directory: directory)
        case .vae:
            throw ModelSetupError.wrongKind(directory: directory, found: kind,
                                            expected: "a Janus, Janus-Pro or JanusFlow checkpoint")
        }
        let tokenizerConfig = try TokenizerConfig(directory: URL(fileURLWithPath: directory))
        let eosToken = tokenizerConfig.eosToken ?? "<｜end▁of▁sentence｜>"
        guard let eos = prompts.tokenizer.id(forToken: eosToken) else {
            throw TokenizerError(.missingToken, "the tokenizer of \(directory) has no end-of-sentence token \(eosToken)")
        }
        return Assistant(model: model, prompts: prompts,
                         images: try ImageInput(configuration: PreprocessorConfiguration.load(directory: directory),
                                                decoding: decoding.options),
                         endOfSequenceID: eos)
    }
}

/// Whether JPEG EXIF orientation is applied (users' photos) or ignored (the reference).
public enum ImageInputDecoding: Sendable {
    case `default`, reference

    var options: JanusImage.ImageDecodingOptions { self == .reference ? .reference : .init() }
}
