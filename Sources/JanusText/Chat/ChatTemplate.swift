import Foundation

/// One turn of a conversation.
public struct ChatMessage: Sendable, Equatable {
    /// The role as written into the prompt, e.g. `<|User|>` (see `ChatTemplate.userRole`).
    public var role: String
    public var content: String
    /// How many images this message carries; its content holds as many image tags.
    public var imageCount: Int

    public init(role: String, content: String, imageCount: Int = 0) {
        self.role = role
        self.content = content
        self.imageCount = imageCount
    }
}

/// A conversation format of the reference `janus/utils/conversation.py`, as a value so
/// further formats can be described without new code.
///
/// Rendering follows `VLChatProcessor.apply_sft_template_for_multi_turn_prompts` with the
/// `DeepSeek` separator style: a non-empty system prompt followed by the first separator;
/// then for message `i`, `role + ": " + content.strip() + separators[i % 2]`, or just
/// `role + ":"` when the stripped content is empty; finally the whole prompt is stripped.
public struct ChatTemplate: Sendable, Equatable {
    /// The `sft_format` name in processor_config.json.
    public var name: String
    public var userRole: String
    public var assistantRole: String
    /// Message `i` is followed by `separators[i % separators.count]`.
    public var separators: [String]
    /// Between a role and its content.
    public var roleSeparator: String
    /// What an empty message renders as after its role (the generation slot).
    public var emptyMessageSuffix: String
    /// The system prompt `VLChatProcessor` uses for understanding requests.
    public var defaultSystemPrompt: String

    public init(name: String, userRole: String, assistantRole: String, separators: [String],
                roleSeparator: String = ": ", emptyMessageSuffix: String = ":",
                defaultSystemPrompt: String = "") {
        self.name = name
        self.userRole = userRole
        self.assistantRole = assistantRole
        self.separators = separators
        self.roleSeparator = roleSeparator
        self.emptyMessageSuffix = emptyMessageSuffix
        self.defaultSystemPrompt = defaultSystemPrompt
    }

    /// The Janus / Janus-Pro format (`sft_format: deepseek`).
    public static let deepseek = ChatTemplate(
        name: "deepseek",
        userRole: "<|User|>",
        assistantRole: "<|Assistant|>",
        separators: ["\n\n", "<｜end▁of▁sentence｜>"],
        defaultSystemPrompt: "You are a helpful language and vision assistant. "
            + "You are able to understand the visual content that the user provides, "
            + "and assist the user with a variety of tasks using natural language.")

    /// Every format this module knows, by `sft_format` name.
    public static let known: [String: ChatTemplate] = [deepseek.name: deepseek]

    /// The format named in processor_config.json.
    public static func named(_ name: String) throws -> ChatTemplate {
        guard let template = known[name] else {
            throw TokenizerError(.unsupportedType, stage: "chat_template", type: name,
                                 "unknown sft_format \"\(name)\" (supported: \(known.keys.sorted().joined(separator: ", ")))")
        }
        return template
    }

    /// A user message.
    public func user(_ content: String, imageCount: Int = 0) -> ChatMessage {
        ChatMessage(role: userRole, content: content, imageCount: imageCount)
    }

    /// An assistant message; empty content leaves the slot the model completes.
    public func assistant(_ content: String = "") -> ChatMessage {
        ChatMessage(role: assistantRole, content: content)
    }

    /// The SFT-formatted prompt text.
    public func render(_ messages: [ChatMessage], systemPrompt: String) -> String {
        var prompt = systemPrompt.isEmpty || separators.isEmpty ? systemPrompt : systemPrompt + separators[0]
        for (index, message) in messages.enumerated() {
            let content = message.content.strippingPythonWhitespace()
            if content.isEmpty {
                prompt += message.role + emptyMessageSuffix
            } else {
                let separator = separators.isEmpty ? "" : separators[index % separators.count]
                prompt += message.role + roleSeparator + content + separator
            }
        }
        return prompt.strippingPythonWhitespace()
    }
}

extension String {
    /// Python's `str.strip()`: removes characters for which `str.isspace()` is true, which
    /// is Unicode White_Space plus the separators U+001C…U+001F.
    func strippingPythonWhitespace() -> String {
        func isSpace(_ scalar: Unicode.Scalar) -> Bool {
            scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }
}
