import ArgumentParser
import Foundation
import JanusCluster

/// `janus cluster check`: validates a cluster file and shows what it describes.
struct ClusterCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a cluster file and print its nodes, processes, endpoints and layer split.")

    @OptionGroup var cluster: ClusterFileArgument

    @Option(help: ArgumentHelp("The model's layer count, to resolve split = \"even\" (Janus-Pro-1B: 24, 7B: 30).",
                               valueName: "n"))
    var layers: Int?

    func validate() throws {
        if let layers, layers < 1 { throw ValidationError("--layers must be at least 1") }
    }

    func run() throws {
        let spec = try cluster.load()
        let ranges = try layers.map { try spec.resolvedLayerRanges(totalLayers: $0) }
        print(ClusterSummary(spec: spec, layerRanges: ranges).text)
    }
}

/// The text `check` prints: settings first, then each node's processes.
struct ClusterSummary {
    let spec: ClusterSpec
    /// Resolved ranges when the model's depth is known.
    let layerRanges: [Range<Int>]?

    var text: String {
        let policy = spec.policy
        var lines = [
            "\(spec.displayPath): valid",
            "cluster   \(spec.name)",
            "log dir   \(spec.logDirectory)",
            "policy    understanding_share=\(policy.understandingShare) "
                + "max_concurrent_generations=\(policy.maxConcurrentGenerations) "
                + "max_queued_generation=\(policy.maxQueuedGeneration) "
                + "max_queued_understanding=\(policy.maxQueuedUnderstanding)",
            "          default_deadline_ms=\(policy.defaultDeadlineMilliseconds) "
                + "heartbeat_interval_ms=\(policy.heartbeatIntervalMilliseconds) "
                + "heartbeat_liveness=\(policy.heartbeatLiveness)",
            "layers    " + layerDescription,
        ]
        let nameWidth = spec.processes.map(\.name.count).max() ?? 0
        for node in spec.nodes {
            lines.append("")
            lines.append("node \(node.name) (\(node.host))")
            for process in spec.processes(onNode: node.name) {
                let columns = [process.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0),
                               process.role.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0)]
                    + details(of: process)
                lines.append("  " + columns.joined(separator: "  ").trimmingCharacters(in: .whitespaces))
            }
        }
        return lines.joined(separator: "\n")
    }

    private var layerDescription: String {
        let stages = spec.stages.count
        switch (spec.layerSplit, layerRanges) {
        case (_, let ranges?):
            return "\(ranges.last?.upperBound ?? 0) layers over \(stages) stages"
        case (.even, nil):
            return "split evenly over \(stages) stages when they start (--layers N shows the ranges)"
        case (.explicit(let ranges), nil):
            return "\(ranges.last?.upperBound ?? 0) layers over \(stages) stages, as written"
        }
    }

    private func details(of process: ClusterProcess) -> [String] {
        var details: [String] = []
        if let stage = spec.stage(named: process.name) {
            if let range = layerRanges?[stage.index] ?? stage.layers {
                details.append("layers [\(range.lowerBound), \(range.upperBound))")
            }
        }
        details += process.boundEndpoints.map { "\($0.key) \($0.endpoint)" }
        return details
    }
}
