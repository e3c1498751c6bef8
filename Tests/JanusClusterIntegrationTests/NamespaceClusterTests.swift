import Foundation
import JanusTestSupport
import Testing

extension ClusterIntegrationTests {
    /// Done when #2: the same cluster with its nodes in separate network namespaces,
    /// each with its own address as separate hosts would have, passes the same test.
    /// A machine that cannot create namespaces fails this test saying so.
    @Suite struct NamespacedCluster {
        static let nodes = ["gateway", "gpu-a", "gpu-b"]

        @Test func nodesInSeparateNetworkNamespacesGiveTheSingleProcessResults() throws {
            let namespaces: NetworkNamespaces
            do {
                namespaces = try NetworkNamespaces(nodes: Self.nodes)
            } catch let error as NetworkNamespaces.Unavailable {
                Issue.record("""
                    NOT TESTED: this machine cannot create network namespaces, so the cluster could not be \
                    run as separate hosts: \(error). Run the tests as root with iproute2 installed.
                    """)
                return
            }
            defer { namespaces.remove() }

            // gateway: router + encoder; gpu-a: stage-0 + decoder-0; gpu-b: stage-1 + decoder-1.
            let layout = ClusterLayout(
                nodes: Self.nodes.map { .init(name: $0, host: namespaces.address(of: $0)) },
                routerNode: "gateway", encoderNodes: ["gateway"], stageNodes: ["gpu-a", "gpu-b"],
                decoderNodes: ["gpu-a", "gpu-b"], routerPorts: (57100, 57101), stagePorts: [57110, 57111])
            let cluster = try LiveCluster(layout)
            defer { cluster.down() }
            for node in Self.nodes {
                try cluster.up(node: node, namespace: namespaces.namespace(of: node), ip: namespaces.ip)
            }
            try cluster.waitUntilHealthy()

            // Each process really is in its node's namespace, bound to its node's address.
            let status = try cluster.status()
            for name in layout.processNames {
                let process = status.process(name)
                let expected = name == "router" ? "" : cluster.spec.process(named: name)?.node
                #expect(process?.node == expected, "\(name) registered from node \(process?.node ?? "nowhere")")
            }
            for (name, identity) in cluster.processes() {
                let node = cluster.spec.process(named: name)!.node
                #expect(namespaces.pids(in: namespaces.namespace(of: node)).contains(identity.pid),
                        "\(name) (pid \(identity.pid)) is not in the namespace of \(node)")
            }
            #expect(cluster.routerEndpoint.hasPrefix("tcp://10.203."), "the client must reach the router by its namespace address")

            // The clients run here, in the root namespace, and reach the router over the bridge.
            try GoldenWorkload.run(router: cluster.routerEndpoint, scratch: try cluster.scratch("golden"))

            let after = try cluster.status()
            #expect(after.allHealthy(layout.processNames), "\(after.summary)")
            #expect(after.kind("generate")?.failed == 0 && after.kind("understand")?.failed == 0, "\(after.summary)")

            cluster.down()
            #expect(cluster.everythingStopped, "processes left behind")
            for node in Self.nodes {
                #expect(namespaces.pids(in: namespaces.namespace(of: node)).isEmpty, "processes left in \(node)'s namespace")
            }
            namespaces.remove()
            #expect(namespaces.leftovers.isEmpty, "namespaces or links left behind: \(namespaces.leftovers)")
        }
    }
}
