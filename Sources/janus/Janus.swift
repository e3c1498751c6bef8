import ArgumentParser

@main
struct Janus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "janus",
        abstract: "Serve DeepSeek's Janus models: image understanding and text-to-image generation.",
        subcommands: [Generate.self, Ask.self, Chat.self, Inspect.self, Tokenize.self, Bench.self, ClusterCommand.self, Serve.self]
    )
}
