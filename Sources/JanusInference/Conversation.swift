import JanusImage
import JanusText

/// A multi-turn exchange with images attached to user turns, rendered like
/// `VLChatProcessor` renders the reference's conversation dictionaries.
public struct Conversation: Sendable {
    public struct Turn: Sendable {
        public var isUser: Bool
        public var content: String
        public var images: [RGBImage]
    }

    public private(set) var turns: [Turn] = []
    public var systemPrompt: String?

    public init(systemPrompt: String? = nil) { self.systemPrompt = systemPrompt }

    /// Adds a user turn. `text` may hold one `<image_placeholder>` per image, in order;
    /// with none, each image's placeholder goes on its own line before the text (as the
    /// reference demos write it). Any other count is an error.
    public mutating func addUser(_ text: String, images: [RGBImage] = [], imageTag: String = "<image_placeholder>") throws {
        let markers = text.components(separatedBy: imageTag).count - 1
        let content: String
        if markers == 0 {
            content = String(repeating: imageTag + "\n", count: images.count) + text
        } else if markers == images.count {
            content = text
        } else {
            throw ConversationError.placeholderMismatch(placeholders: markers, images: images.count)
        }
        turns.append(Turn(isUser: true, content: content, images: images))
    }

    public mutating func addAssistant(_ text: String) {
        turns.append(Turn(isUser: false, content: text, images: []))
    }

    /// Every image of the conversation, in prompt order.
    public var images: [RGBImage] { turns.flatMap(\.images) }

    /// The messages to render, ending with an empty assistant turn to be completed.
    public func messages(template: ChatTemplate) -> [ChatMessage] {
        turns.map { turn in
            turn.isUser ? template.user(turn.content, imageCount: turn.images.count) : template.assistant(turn.content)
        } + [template.assistant()]
    }
}

public enum ConversationError: Error, CustomStringConvertible, Equatable {
    case placeholderMismatch(placeholders: Int, images: Int)
    case emptyQuestion

    public var description: String {
        switch self {
        case let .placeholderMismatch(placeholders, images):
            "the question has \(placeholders) <image_placeholder> marker(s) but \(images) image(s) were given; "
                + "use one marker per image, or none to put the images first"
        case .emptyQuestion: "the question is empty"
        }
    }
}
