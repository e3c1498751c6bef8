import ArgumentParser
import Foundation
import JanusImage
import JanusInference

/// `janus chat`: an interactive, multi-turn conversation on stdin/stdout.
struct Chat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Talk about images over several turns.",
        discussion: """
            Each line is a user turn. Commands: /image PATH attaches a picture to the next
            turn, /reset starts over, /quit (or end of input) leaves.
            """)

    @OptionGroup var modelOption: ModelOption
    @OptionGroup var answerOptions: AnswerOptionGroup
    @OptionGroup var computeOptions: ComputeOptions

    func run() throws {
        computeOptions.apply()
        let assistant = try Assistant.load(directory: try modelOption.resolve())
        let options = answerOptions.options(stopTokenIDs: [assistant.endOfSequenceID])
        let interactive = isatty(STDIN_FILENO) != 0
        var conversation = Conversation()
        var pending: [RGBImage] = []
        func prompt() { if interactive { FileHandle.standardError.write(Data("you> ".utf8)) } }

        prompt()
        while let line = readLine() {
            defer { prompt() }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            if text == "/quit" { break }
            if text == "/reset" {
                conversation = Conversation()
                pending = []
                status("(conversation cleared)")
                continue
            }
            if text.hasPrefix("/image") {
                let path = text.dropFirst("/image".count).trimmingCharacters(in: .whitespaces)
                do {
                    pending.append(try assistant.images.load(path))
                    status("(attached \(path) to the next turn)")
                } catch {
                    status("error: \(error)")
                }
                continue
            }
            // A bad turn (wrong marker count, oversized image…) is reported and dropped;
            // the session goes on.
            var next = conversation
            do {
                try next.addUser(text, images: pending, imageTag: assistant.prompts.processorConfig.imageTag)
                let answer = try assistant.answer(next, options: options) { piece in
                    writeOut(piece)
                }
                writeOut("\n")
                next.addAssistant(answer.text)
                conversation = next
                pending = []
            } catch {
                status("error: \(error)")
            }
        }
    }
}
