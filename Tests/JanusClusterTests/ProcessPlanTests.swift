import Testing
@testable import JanusCluster

@Suite struct ProcessPlanTests {
    @Test func everyProcessOfTheNodeGetsItsServeCommand() throws {
        let spec = try ClusterText.parse(ClusterText.minimal, path: "/srv/janus/dev.toml")
        let plan = try ProcessPlan(spec: spec, nodes: ["local"], executable: "/usr/bin/janus", model: "/models/pro-1b")
        #expect(plan.nodes == [ClusterNode(name: "local", host: "127.0.0.1")])
        #expect(plan.commands.map(\.name) == ["router", "encoder-0", "stage-0", "stage-1", "decoder-0", "decoder-1"])
        #expect(plan.commands[2] == ProcessSpec(
            name: "stage-0", executable: "/usr/bin/janus",
            arguments: ["serve", "stage", "--cluster", "/srv/janus/dev.toml", "--name", "stage-0",
                        "--model", "/models/pro-1b"]))
        #expect(plan.commands.allSatisfy { $0.environment == nil })
    }

    @Test func onlyTheChosenNodesProcessesAreRun() throws {
        let spec = try ClusterSpec.load(path: Repository.path("cluster/multi-node.toml"))
        let plan = try ProcessPlan(spec: spec, nodes: ["gpu-b"], executable: "janus", clusterPath: "/etc/janus/cluster.toml")
        #expect(plan.commands.map(\.commandLine) == [
            ["janus", "serve", "stage", "--cluster", "/etc/janus/cluster.toml", "--name", "stage-1"],
            ["janus", "serve", "decoder", "--cluster", "/etc/janus/cluster.toml", "--name", "decoder-b"],
        ])
        let both = try ProcessPlan(spec: spec, nodes: ["gateway", "gpu-a", "gateway"], executable: "janus")
        #expect(both.nodes.map(\.name) == ["gateway", "gpu-a"])
        #expect(both.entries.count == 5)
    }

    @Test func unknownNodeIsAnError() throws {
        let spec = try ClusterText.parse(ClusterText.minimal)
        #expect(throws: ProcessPlanError.unknownNode("gpu", known: ["local"])) {
            try ProcessPlan(spec: spec, nodes: ["gpu"], executable: "janus")
        }
        #expect(ProcessPlanError.unknownNode("gpu", known: ["local"]).description == "no node \"gpu\" in the cluster file (nodes: local)")
    }
}

@Suite struct SystemdUnitsTests {
    @Test func rendersOneUnitPerProcess() throws {
        let text = """
            name = "demo"
            split = "even"

            [[nodes]]
            name = "box"
            host = "10.1.2.3"

            [router]
            client_endpoint = "tcp://10.1.2.3:57100"
            backend_endpoint = "tcp://10.1.2.3:57101"

            [[encoders]]

            [[stages]]
            data_endpoint = "tcp://10.1.2.3:57110"

            [[decoders]]
            """
        let spec = try ClusterText.parse(text, path: "/etc/janus/demo.toml")
        let plan = try ProcessPlan(spec: spec, nodes: ["box"], executable: "/usr/local/bin/janus", model: "/srv/models/Janus Pro")
        let units = SystemdUnits.render(plan: plan, spec: spec, user: "janus")
        #expect(units.map(\.fileName) == ["janus-demo-router.service", "janus-demo-encoder-0.service",
                                         "janus-demo-stage-0.service", "janus-demo-decoder-0.service"])
        #expect(units[2].contents == """
            [Unit]
            Description=Janus stage stage-0 (cluster demo, node box)
            After=network-online.target
            Wants=network-online.target

            [Service]
            Type=simple
            User=janus
            ExecStart=/usr/local/bin/janus serve stage --cluster /etc/janus/demo.toml --name stage-0 --model "/srv/models/Janus Pro"
            Restart=on-failure
            RestartSec=1
            TimeoutStopSec=30

            [Install]
            WantedBy=multi-user.target

            """)
        let all = SystemdUnits.text(units)
        #expect(all.hasPrefix("# janus-demo-router.service\n[Unit]\n"))
        #expect(all.contains("WantedBy=multi-user.target\n\n# janus-demo-encoder-0.service\n[Unit]\n"))
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("/a b/c", "\"/a b/c\""),
        ("100%", "100%%"),
        ("$HOME", "$$HOME"),
        ("say \"hi\"", "\"say \\\"hi\\\"\""),
        ("back\\slash", "\"back\\\\slash\""),
        ("", "\"\""),
    ])
    func execStartWordsAreEscapedForSystemd(word: String, expected: String) {
        #expect(SystemdUnits.quoted(word) == expected)
    }
}
