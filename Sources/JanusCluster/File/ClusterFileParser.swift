import Foundation

/// Turns the TOML tables of a cluster file into a `ClusterSpec`, collecting every
/// problem (types, ranges, unknown keys, references, cross-process conflicts) before
/// giving up, so one run reports them all.
final class ClusterFileParser {
    static let defaultLogDirectory = ".janus/logs"

    private let text: String
    private let path: String
    private let problems: ProblemCollector
    private var nodes: [ClusterNode] = []

    init(text: String, path: String) {
        self.text = text
        self.path = path
        problems = ProblemCollector(file: path, locator: SourceLocator(text: text))
    }

    func parse() throws(ClusterFileError) -> ClusterSpec {
        let root = TableReader(try TOMLDocument.parse(text, file: path), at: .root, problems: problems)
        let name = clusterName(root)
        let logDirectory = logDirectory(root)
        let split = layerSplitSetting(root)
        nodes = readNodes(root)
        let router = root.table("router", required: true).flatMap(readRouter)
        let policy = RouterPolicy.read(root.table("policy"))
        let stages = readStages(root)
        let encoders = readReplicas(root, key: "encoders", role: .encoder)
        let decoders = readReplicas(root, key: "decoders", role: .decoder)
        root.finish()

        let entries = [router].compactMap { $0?.entry } + encoders.map(\.entry)
            + stages.map(\.entry) + decoders.map(\.entry)
        let validator = ClusterValidator(problems: problems)
        validator.checkUniqueNames(entries)
        validator.checkEndpoints(entries, router: router?.spec, stages: stages.map(\.spec))
        let layerSplit = validator.checkLayers(stages, split: split)
        try problems.throwIfAny()

        guard let router, let layerSplit else {
            // Unreachable: a missing router or split is always reported above.
            throw ClusterFileError(ClusterProblem(file: path, line: nil, key: nil, message: "incomplete cluster file"))
        }
        return ClusterSpec(
            name: name, displayPath: path, path: URL(fileURLWithPath: path).standardizedFileURL.path,
            logDirectory: logDirectory, nodes: nodes, router: router.spec,
            stages: stages.map(\.spec), encoders: encoders.map(\.spec), decoders: decoders.map(\.spec),
            policy: policy, layerSplit: layerSplit)
    }

    // MARK: Top-level settings

    private func clusterName(_ root: TableReader) -> String {
        if let name = root.string("name") {
            if let problem = ProcessName.problem(with: name) { root.report("name", problem) }
            return name
        }
        let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return ProcessName.sanitized(stem)
    }

    private func logDirectory(_ root: TableReader) -> String {
        let setting = root.string("log_dir") ?? Self.defaultLogDirectory
        if setting.isEmpty { root.report("log_dir", "empty (omit it for \(Self.defaultLogDirectory))") }
        if setting.hasPrefix("/") { return URL(fileURLWithPath: setting).standardizedFileURL.path }
        let directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        return directory.appendingPathComponent(setting).standardizedFileURL.path
    }

    private func layerSplitSetting(_ root: TableReader) -> LayerSplitSetting {
        guard let split = root.string("split") else { return .perStage }
        if split == "even" { return .even }
        root.report("split", "unknown split \"\(split)\" (the only one is \"even\"; or give each stage layers = [start, end])")
        return .invalid
    }

    private func readNodes(_ root: TableReader) -> [ClusterNode] {
        let tables = root.tables("nodes")
        if tables.isEmpty && !root.contains("nodes") {
            root.report("nodes", "no nodes (add a [[nodes]] table with name and host)")
        }
        var nodes: [ClusterNode] = []
        for table in tables {
            let name = table.string("name", required: true)
            let host = table.string("host", required: true)
            table.finish()
            if let name, let problem = ProcessName.problem(with: name) { table.report("name", problem) }
            if let host, let problem = HostName.problem(with: host) { table.report("host", problem) }
            guard let name, let host else { continue }
            if nodes.contains(where: { $0.name == name }) {
                table.report("name", "node \"\(name)\" is defined twice")
                continue
            }
            nodes.append(ClusterNode(name: name, host: host.lowercased()))
        }
        return nodes
    }

    // MARK: Processes

    private func readRouter(_ table: TableReader) -> ParsedProcess<RouterSpec>? {
        let name = processName(table, default: "router")
        let node = nodeReference(table)
        let client = endpoint(table, "client_endpoint", node: node)
        let backend = endpoint(table, "backend_endpoint", node: node)
        table.finish()
        guard let node, let client, let backend else { return nil }
        let spec = RouterSpec(name: name.value, node: node.name, clientEndpoint: client.value,
                              backendEndpoint: backend.value)
        return ParsedProcess(spec: spec, entry: ProcessEntry(
            name: name, role: .router, node: node.name, tablePath: table.path,
            endpoints: [("client_endpoint", client), ("backend_endpoint", backend)]))
    }

    private func readStages(_ root: TableReader) -> [ParsedProcess<StageSpec>] {
        let tables = root.tables("stages")
        if tables.isEmpty { root.report("stages", "no stages (add at least one [[stages]] table)") }
        return tables.enumerated().compactMap { index, table in
            let name = processName(table, default: "stage-\(index)")
            let node = nodeReference(table)
            let data = endpoint(table, "data_endpoint", node: node)
            let layers = layerRange(table)
            table.finish()
            guard let node, let data else { return nil }
            let spec = StageSpec(name: name.value, node: node.name, index: index,
                                 dataEndpoint: data.value, layers: layers)
            return ParsedProcess(spec: spec, entry: ProcessEntry(
                name: name, role: .stage, node: node.name, tablePath: table.path,
                endpoints: [("data_endpoint", data)]), layersWritten: table.contains("layers"))
        }
    }

    /// `[[encoders]]` / `[[decoders]]` groups: `replicas` processes on one node, named
    /// `names` or `<role>-<n>` numbered across the whole file.
    private func readReplicas(_ root: TableReader, key: String, role: ProcessRole) -> [ParsedProcess<ReplicaSpec>] {
        let tables = root.tables(key)
        if tables.isEmpty && !root.contains(key) {
            root.report(key, "no \(key) (add a [[\(key)]] table with node and replicas)")
        }
        var replicas: [ParsedProcess<ReplicaSpec>] = []
        for table in tables {
            let node = nodeReference(table)
            let count = table.integer("replicas")
            let names = table.strings("names")
            table.finish()
            if let count, count < 1 { table.report("replicas", "\(count): must be at least 1") }
            if let names, names.isEmpty { table.report("names", "empty (omit it for \(role.rawValue)-0, \(role.rawValue)-1, …)") }
            if let names, let count, !names.isEmpty, names.count != count {
                table.report("names", "\(names.count) names for replicas = \(count)")
            }
            let total = count ?? names?.count ?? 1
            guard let node, total >= 1 else { continue }
            for replica in 0..<total {
                let name: Located<String>
                if let names, names.count == total {
                    let namePath = table.path.appending("names").appending(index: replica)
                    if let problem = ProcessName.problem(with: names[replica]) { problems.report(namePath, problem) }
                    name = .init(value: names[replica], path: namePath)
                } else {
                    name = .init(value: "\(role.rawValue)-\(replicas.count)", path: table.path)
                }
                let spec = ReplicaSpec(name: name.value, node: node.name, role: role, index: replicas.count)
                replicas.append(ParsedProcess(spec: spec, entry: ProcessEntry(
                    name: name, role: role, node: node.name, tablePath: table.path, endpoints: [])))
            }
        }
        return replicas
    }

    // MARK: Shared keys

    private func processName(_ table: TableReader, default fallback: String) -> Located<String> {
        guard let name = table.string("name") else { return .init(value: fallback, path: table.path) }
        if let problem = ProcessName.problem(with: name) { table.report("name", problem) }
        return .init(value: name, path: table.path.appending("name"))
    }

    /// `node = "…"`, which may be left out when the file has a single node.
    private func nodeReference(_ table: TableReader) -> ClusterNode? {
        if let name = table.string("node") {
            if let node = nodes.first(where: { $0.name == name }) { return node }
            let known = nodes.map(\.name).joined(separator: ", ")
            table.report("node", "unknown node \"\(name)\"" + (known.isEmpty ? "" : " (nodes: \(known))"))
            return nil
        }
        if table.contains("node") { return nil }
        if nodes.count == 1 { return nodes.first }
        if !nodes.isEmpty {
            table.report("node", "missing (required when the file has several nodes: \(nodes.map(\.name).joined(separator: ", ")))")
        }
        return nil
    }

    /// An endpoint bound by a process of `node`: a TCP endpoint must use the node's host.
    private func endpoint(_ table: TableReader, _ key: String, node: ClusterNode?) -> Located<Endpoint>? {
        guard let text = table.string(key, required: true) else { return nil }
        let endpoint: Endpoint
        do {
            endpoint = try Endpoint(parsing: text)
        } catch {
            table.report(key, error.description)
            return nil
        }
        if let node, let host = endpoint.host, host != node.host {
            table.report(key, "\(endpoint) is on host \(host), but node \(node.name) is \(node.host) (a process binds on its node's host)")
        }
        return Located(value: endpoint, path: table.path.appending(key))
    }

    /// `layers = [start, end]`: nil when absent or invalid (invalid ones are reported).
    private func layerRange(_ table: TableReader) -> Range<Int>? {
        guard let bounds = table.integers("layers") else { return nil }
        let written = "[" + bounds.map(String.init).joined(separator: ", ") + "]"
        guard bounds.count == 2 else {
            table.report("layers", "\(written): expected [start, end]")
            return nil
        }
        let (start, end) = (bounds[0], bounds[1])
        if start < 0 {
            table.report("layers", "\(written): layers are numbered from 0")
            return nil
        }
        if end <= start {
            table.report("layers", "\(written) is empty (the end is exclusive: [start, end))")
            return nil
        }
        return start..<end
    }
}

/// A value read from the file, with the key path it came from.
struct Located<Value> {
    let value: Value
    let path: ConfigKeyPath
}

/// What cross-process checks need to know about one process, with file locations.
struct ProcessEntry {
    let name: Located<String>
    let role: ProcessRole
    let node: String
    let tablePath: ConfigKeyPath
    let endpoints: [(key: String, endpoint: Located<Endpoint>)]
}

/// A process as parsed: its spec, plus where it came from in the file.
struct ParsedProcess<Spec> {
    let spec: Spec
    let entry: ProcessEntry
    /// Stages only: the stage wrote a `layers` key (even one that was invalid).
    var layersWritten = false
}

/// What the parser found for `split` at the top of the file.
enum LayerSplitSetting {
    case even, perStage, invalid
}
