import Testing
@testable import JanusCluster

/// Each kind of mistake a cluster file can hold, with the exact message a user sees.
@Suite struct ClusterValidationTests {
    @Test func emptyLayerRangeNamesFileLineAndKey() {
        let text = explicitLayers([0, 2], [2, 1])
        #expect(ClusterText.problems(text, path: "cluster/local.toml") == [
            "cluster/local.toml:\(line(of: "[2, 1]", in: text)): stages[1].layers: [2, 1] is empty (the end is exclusive: [start, end))",
        ])
    }

    @Test func endpointBoundTwiceNamesBothOwners() {
        let text = ClusterText.minimal(replacing: "tcp://127.0.0.1:5560", with: "tcp://127.0.0.1:5555")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "5555", in: text, occurrence: 2)): endpoint tcp://127.0.0.1:5555 used by both router.client_endpoint and stage-0.data_endpoint",
        ])
    }

    @Test func unknownNodeListsTheKnownOnes() {
        let text = ClusterText.minimal(replacing: "[[encoders]]", with: "[[encoders]]\nnode = \"gpu-z\"")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "gpu-z", in: text)): encoders[0].node: unknown node \"gpu-z\" (nodes: local)",
        ])
    }

    @Test func nodeIsRequiredWhenThereAreSeveral() {
        let text = ClusterText.minimal(replacing: "[router]", with: "[[nodes]]\nname = \"other\"\nhost = \"10.0.0.2\"\n\n[router]")
        #expect(ClusterText.problems(text).contains(
            "test.toml:\(line(of: "[router]", in: text)): router.node: missing (required when the file has several nodes: local, other)"))
    }

    @Test func duplicateProcessNames() {
        let text = ClusterText.minimal(replacing: "replicas = 2", with: "names = [\"stage-1\", \"decoder-x\"]")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "names", in: text)): decoders[0].names[0]: duplicate process name \"stage-1\" (also stages[1])",
        ])
    }

    @Test func duplicateNodeNames() {
        let text = ClusterText.minimal(replacing: "[router]", with: "[[nodes]]\nname = \"local\"\nhost = \"127.0.0.2\"\n\n[router]")
        #expect(ClusterText.problems(text).contains(
            "test.toml:\(line(of: "name = \"local\"", in: text, occurrence: 2)): nodes[1].name: node \"local\" is defined twice"))
    }

    @Test func gapBetweenStages() {
        let text = explicitLayers([0, 10], [12, 24])
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "[12, 24]", in: text)): stages[1].layers: [12, 24] leaves layers 10..<12 to no stage (stages[0].layers ends at 10)",
        ])
    }

    @Test func overlappingStages() {
        let text = explicitLayers([0, 10], [8, 24])
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "[8, 24]", in: text)): stages[1].layers: [8, 24] overlaps stages[0].layers [0, 10]",
        ])
    }

    @Test func firstStageMustStartAtZero() {
        let text = explicitLayers([1, 10], [10, 24])
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "[1, 10]", in: text)): stages[0].layers: [1, 10]: the first stage must start at layer 0",
        ])
    }

    @Test func stageWithoutLayersNeedsASplit() {
        let text = ClusterText.minimal(replacing: "split = \"even\"", with: "")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "[[stages]]", in: text)): stages[0]: no layers: give every stage layers = [start, end], or set split = \"even\" at the top of the file",
        ])
    }

    @Test func evenSplitConflictsWithExplicitLayers() {
        let text = ClusterText.minimal(replacing: "data_endpoint = \"tcp://127.0.0.1:5561\"",
                                       with: "data_endpoint = \"tcp://127.0.0.1:5561\"\nlayers = [3, 6]")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "[3, 6]", in: text)): stages[1].layers: conflicts with split = \"even\" (remove one of them)",
        ])
    }

    @Test func unknownSplit() {
        let text = ClusterText.minimal(replacing: "split = \"even\"", with: "split = \"by-memory\"")
        #expect(ClusterText.problems(text) == [
            "test.toml:1: split: unknown split \"by-memory\" (the only one is \"even\"; or give each stage layers = [start, end])",
        ])
    }

    @Test func noStages() {
        let text = ClusterText.minimal
            .replacingOccurrences(of: "[[stages]]\ndata_endpoint = \"tcp://127.0.0.1:5560\"\n", with: "")
            .replacingOccurrences(of: "[[stages]]\ndata_endpoint = \"tcp://127.0.0.1:5561\"\n", with: "")
        #expect(ClusterText.problems(text) == ["test.toml: stages: no stages (add at least one [[stages]] table)"])
    }

    @Test func zeroReplicas() {
        let text = ClusterText.minimal(replacing: "replicas = 2", with: "replicas = 0")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "replicas = 0", in: text)): decoders[0].replicas: 0: must be at least 1",
        ])
    }

    @Test func replicaNamesMustMatchTheCount() {
        let text = ClusterText.minimal(replacing: "replicas = 2", with: "replicas = 2\nnames = [\"a\"]")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "names", in: text)): decoders[0].names: 1 names for replicas = 2",
        ])
    }

    @Test func missingEncodersAndDecoders() {
        let text = ClusterText.minimal
            .replacingOccurrences(of: "[[encoders]]\nreplicas = 1\n", with: "")
            .replacingOccurrences(of: "[[decoders]]\nreplicas = 2\n", with: "")
        #expect(ClusterText.problems(text) == [
            "test.toml: encoders: no encoders (add a [[encoders]] table with node and replicas)",
            "test.toml: decoders: no decoders (add a [[decoders]] table with node and replicas)",
        ])
    }

    @Test(arguments: [
        ("tcp://127.0.0.1", "tcp://127.0.0.1: no port (expected tcp://HOST:PORT)"),
        ("tcp://127.0.0.1:0", "tcp://127.0.0.1:0: port must be a number from 1 to 65535"),
        ("tcp://127.0.0.1:70000", "tcp://127.0.0.1:70000: port must be a number from 1 to 65535"),
        ("tcp://*:5555", "tcp://*:5555: wildcard host *: name the address peers connect to (the node's host)"),
        ("tcp://300.1.1.1:5555", "tcp://300.1.1.1:5555: invalid IPv4 address 300.1.1.1"),
        ("tcp://bad_host:5555", "tcp://bad_host:5555: invalid host name bad_host"),
        ("inproc://router", "inproc://router: inproc:// works only inside one process; use tcp:// (or ipc:// on one machine)"),
        ("udp://127.0.0.1:5555", "udp://127.0.0.1:5555: not an endpoint (expected tcp://HOST:PORT or ipc://PATH)"),
        ("ipc://", "ipc://: empty ipc path"),
    ])
    func badEndpoints(endpoint: String, message: String) {
        let text = ClusterText.minimal(replacing: "\"tcp://127.0.0.1:5555\"", with: "\"\(endpoint)\"")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "client_endpoint", in: text)): router.client_endpoint: \(message)",
        ])
    }

    @Test func endpointMustBeOnItsNodesHost() {
        let text = ClusterText.minimal(replacing: "tcp://127.0.0.1:5561", with: "tcp://127.0.0.2:5561")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "5561", in: text)): stages[1].data_endpoint: tcp://127.0.0.2:5561 is on host 127.0.0.2, but node local is 127.0.0.1 (a process binds on its node's host)",
        ])
    }

    @Test func ipcEndpointCannotCrossNodes() {
        let text = ClusterText.minimal(replacing: "[router]", with: "[[nodes]]\nname = \"gpu\"\nhost = \"10.0.0.2\"\n\n[router]\nnode = \"local\"")
            .replacingOccurrences(of: "tcp://127.0.0.1:5556", with: "ipc:///run/janus/backend")
            .replacingOccurrences(of: "replicas = 2", with: "node = \"gpu\"\nreplicas = 2")
            .replacingOccurrences(of: "[[encoders]]", with: "[[encoders]]\nnode = \"local\"")
            .replacingOccurrences(of: "[[stages]]", with: "[[stages]]\nnode = \"local\"")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "ipc://", in: text)): router.backend_endpoint: ipc:///run/janus/backend can only be reached on node local, but decoder-0 connects to it from node gpu (use tcp://)",
        ])
    }

    @Test func unknownKeysAreErrorsWithSuggestions() {
        let text = ClusterText.minimal
            .replacingOccurrences(of: "replicas = 1", with: "replica = 1")
            .replacingOccurrences(of: "split = \"even\"", with: "split = \"even\"\nlogdir = \"x\"")
            + "[policy]\nmax_concurrent_generation = 2\n"
        #expect(ClusterText.problems(text) == [
            "test.toml:2: logdir: unknown key (did you mean log_dir?)",
            "test.toml:\(line(of: "replica =", in: text)): encoders[0].replica: unknown key (did you mean replicas?)",
            "test.toml:\(line(of: "max_concurrent", in: text)): policy.max_concurrent_generation: unknown key (did you mean max_concurrent_generations?)",
        ])
    }

    @Test func wrongTypesAreReportedWithTheValue() {
        let text = ClusterText.minimal(replacing: "replicas = 2", with: "replicas = \"two\"")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "\"two\"", in: text)): decoders[0].replicas: expected an integer, found a string \"two\"",
        ])
    }

    @Test func policyValuesAreRangeChecked() {
        let text = ClusterText.minimal + "[policy]\nunderstanding_share = 1.0\nheartbeat_liveness = 0\n"
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "understanding_share", in: text)): policy.understanding_share: 1.0 is outside [0, 1)",
            "test.toml:\(line(of: "heartbeat_liveness", in: text)): policy.heartbeat_liveness: 0 must be at least 1",
        ])
    }

    @Test func badNamesAreRejected() {
        let text = ClusterText.minimal(replacing: "[router]", with: "[router]\nname = \"my router\"")
        #expect(ClusterText.problems(text) == [
            "test.toml:\(line(of: "my router", in: text)): router.name: \"my router\": use letters, digits, '.', '_' and '-', starting with a letter or digit (names log files and systemd units)",
        ])
    }

    @Test func syntaxErrorsCarryTheParsersLine() {
        let text = ClusterText.minimal(replacing: "replicas = 2", with: "replicas = = 2")
        let found = ClusterText.problems(text)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("test.toml:\(line(of: "= =", in: text)): not valid TOML: ") == true)
    }

    @Test func severalProblemsAreReportedTogether() {
        let text = ClusterText.minimal
            .replacingOccurrences(of: "replicas = 2", with: "replicas = 0")
            .replacingOccurrences(of: "tcp://127.0.0.1:5561", with: "tcp://127.0.0.1:5560")
        #expect(ClusterText.problems(text).count == 2)
    }

    @Test func missingFileIsAClearError() throws {
        let error = try #require(throws: ClusterFileError.self) {
            try ClusterSpec.load(path: "/nonexistent/cluster.toml")
        }
        #expect(error.description == "/nonexistent/cluster.toml: no such file")
    }

    /// `minimal` with explicit layers on its two stages instead of the even split.
    private func explicitLayers(_ first: [Int], _ second: [Int]) -> String {
        ClusterText.minimal(replacing: "split = \"even\"", with: "")
            .replacingOccurrences(of: "data_endpoint = \"tcp://127.0.0.1:5560\"",
                                  with: "data_endpoint = \"tcp://127.0.0.1:5560\"\nlayers = \(first)")
            .replacingOccurrences(of: "data_endpoint = \"tcp://127.0.0.1:5561\"",
                                  with: "data_endpoint = \"tcp://127.0.0.1:5561\"\nlayers = \(second)")
    }
}
