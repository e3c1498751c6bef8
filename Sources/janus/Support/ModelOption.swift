import ArgumentParser
import Foundation

/// `--model DIR`, falling back to the untrained default model.
struct ModelOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Checkpoint directory (e.g. a download of deepseek-ai/Janus-Pro-1B).",
        discussion: "Without it, janus runs a tiny built-in model with untrained weights."))
    var model: String?

    /// The directory to load, creating the default model when none was given.
    func resolve() throws -> String {
        if let model { return model }
        let directory = try DefaultModel.directory()
        status("janus: no --model given; using the untrained default model (random weights, output is noise)")
        return directory
    }
}
