import ArgumentParser

@main
struct Janus: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "janus",
        abstract: "Serve DeepSeek's Janus models: image understanding and text-to-image generation.",
        subcommands: [
            // One process.
            Generate.self, Ask.self, Chat.self, Decode.self,
            // The cluster.
            Serve.self, ClusterCommand.self, Submit.self, RouterCommand.self,
            // Checks and measurements.
            Inspect.self, Tokenize.self, Bench.self,
        ]
    )
}
