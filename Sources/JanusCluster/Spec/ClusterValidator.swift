/// The checks that span several processes: unique names, endpoints bound once and
/// reachable by the processes that connect to them, and a layer split that covers the
/// model without gaps or overlaps.
struct ClusterValidator {
    let problems: ProblemCollector

    func checkUniqueNames(_ entries: [ProcessEntry]) {
        var firstUse: [String: ConfigKeyPath] = [:]
        for entry in entries {
            let name = entry.name.value
            if let first = firstUse[name] {
                problems.report(entry.name.path, "duplicate process name \"\(name)\" (also \(first))")
            } else {
                firstUse[name] = entry.tablePath
            }
        }
    }

    /// Every endpoint is bound by exactly one process; an `ipc://` endpoint must only
    /// be connected to from the node that binds it.
    func checkEndpoints(_ entries: [ProcessEntry], router: RouterSpec?, stages: [StageSpec]) {
        var firstUse: [Endpoint: String] = [:]
        for entry in entries {
            for (key, endpoint) in entry.endpoints {
                let owner = "\(entry.name.value).\(key)"
                if let first = firstUse[endpoint.value] {
                    problems.report(at: endpoint.path, key: nil,
                                    "endpoint \(endpoint.value) used by both \(first) and \(owner)")
                } else {
                    firstUse[endpoint.value] = owner
                }
            }
        }
        checkMachineLocalEndpoints(entries, router: router, stages: stages)
    }

    private func checkMachineLocalEndpoints(_ entries: [ProcessEntry], router: RouterSpec?, stages: [StageSpec]) {
        func endpointPath(_ name: String, _ key: String) -> ConfigKeyPath {
            let entry = entries.first { $0.name.value == name }
            return entry?.endpoints.first { $0.key == key }?.endpoint.path ?? .root
        }
        func requireSameNode(_ endpoint: Endpoint, boundBy owner: String, key: String, node: String,
                             connectors: [(name: String, node: String)]) {
            guard endpoint.isMachineLocal else { return }
            for connector in connectors where connector.node != node {
                problems.report(endpointPath(owner, key), "\(endpoint) can only be reached on node \(node), "
                                + "but \(connector.name) connects to it from node \(connector.node) (use tcp://)")
                return
            }
        }
        if let router {
            let workers = entries.filter { $0.role != .router }.map { (name: $0.name.value, node: $0.node) }
            requireSameNode(router.backendEndpoint, boundBy: router.name, key: "backend_endpoint",
                            node: router.node, connectors: workers)
        }
        for stage in stages where stages.count > 1 {
            let upstream = stage.index == 0 ? stages[stages.count - 1] : stages[stage.index - 1]
            requireSameNode(stage.dataEndpoint, boundBy: stage.name, key: "data_endpoint", node: stage.node,
                            connectors: [(upstream.name, upstream.node)])
        }
    }

    /// Returns the split when it is consistent, reporting why not otherwise.
    func checkLayers(_ stages: [ParsedProcess<StageSpec>], split: LayerSplitSetting) -> LayerSplit? {
        switch split {
        case .invalid:
            return nil
        case .even:
            for stage in stages where stage.layersWritten {
                problems.report(stage.entry.tablePath.appending("layers"),
                                "conflicts with split = \"even\" (remove one of them)")
            }
            return stages.contains(where: \.layersWritten) ? nil : .even
        case .perStage:
            return checkExplicitRanges(stages)
        }
    }

    private func checkExplicitRanges(_ stages: [ParsedProcess<StageSpec>]) -> LayerSplit? {
        var ranges: [Range<Int>] = []
        for stage in stages {
            guard let range = stage.spec.layers else {
                if !stage.layersWritten {
                    problems.report(stage.entry.tablePath, "no layers: give every stage layers = [start, end], "
                                    + "or set split = \"even\" at the top of the file")
                }
                return nil
            }
            let path = stage.entry.tablePath.appending("layers")
            let written = "[\(range.lowerBound), \(range.upperBound)]"
            if let previous = ranges.last {
                let previousKey = "stages[\(ranges.count - 1)].layers"
                if range.lowerBound > previous.upperBound {
                    problems.report(path, "\(written) leaves layers \(previous.upperBound)..<\(range.lowerBound) "
                                    + "to no stage (\(previousKey) ends at \(previous.upperBound))")
                    return nil
                }
                if range.lowerBound < previous.upperBound {
                    problems.report(path, "\(written) overlaps \(previousKey) "
                                    + "[\(previous.lowerBound), \(previous.upperBound)]")
                    return nil
                }
            } else if range.lowerBound != 0 {
                problems.report(path, "\(written): the first stage must start at layer 0")
                return nil
            }
            ranges.append(range)
        }
        return ranges.isEmpty ? nil : .explicit(ranges)
    }
}
