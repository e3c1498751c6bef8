import Foundation
import JanusTestSupport
import Testing

extension ClusterIntegrationTests {
    /// Done when #1: a local cluster (router, encoder, 2 stages, 2 decoders, and the
    /// clients: ≥ 7 processes) on loopback gives exactly the single-process results for
    /// concurrent generation and understanding requests.
    @Suite struct LocalCluster {
        @Test func concurrentRequestsGiveTheSingleProcessResults() throws {
            let cluster = try LiveCluster(try ClusterLayout.local())
            defer { cluster.down() }
            try cluster.up()
            try cluster.waitUntilHealthy()
            #expect(cluster.processes().count == 6, "the supervisor should run 6 processes: \(cluster.processes().keys.sorted())")

            try GoldenWorkload.run(router: cluster.routerEndpoint, scratch: try cluster.scratch("golden"))

            let status = try cluster.status()
            #expect(status.allHealthy(cluster.layout.processNames), "\(status.summary)")
            #expect(status.kind("generate")?.completed == 4 && status.kind("understand")?.completed == 4, "\(status.summary)")
            #expect(status.kind("generate")?.failed == 0 && status.kind("understand")?.failed == 0, "\(status.summary)")
            cluster.down()
            #expect(cluster.everythingStopped, "processes left behind")
        }
    }
}
