import ArgumentParser

/// `--steps`: the length of JanusFlow's ODE (`generate`, `submit generate`).
struct FlowStepsOption: ParsableArguments {
    @Option(help: "JanusFlow: Euler steps of the rectified-flow ODE (1…1000, default 30).")
    var steps: Int?

    func validate() throws {
        if let steps, !(1...1000).contains(steps) { throw ValidationError("--steps must be in 1…1000, got \(steps).") }
    }
}
