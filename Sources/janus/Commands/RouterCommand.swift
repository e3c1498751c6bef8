import ArgumentParser
import Foundation
import JanusServe
import JanusWire

/// `janus router`: look at and steer a running router.
struct RouterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router", abstract: "Inspect or steer a running router.",
        subcommands: [RouterStatusCommand.self, RouterDrainCommand.self])
}

struct RouterStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Every process with role, node, health and load; queues and latencies per class.")

    @OptionGroup var address: RouterAddress

    @Flag(help: "Print one JSON document.")
    var json = false

    struct Output: Encodable {
        struct Process: Encodable {
            let name, role, node: String
            let healthy, draining: Bool
            let load: Int
            let last_seen_ms_ago: Int
        }
        struct Class: Encodable {
            let name: String
            let queued, in_flight: Int
            let completed, failed: Int
            let p50_ms, p90_ms, p99_ms: Double
        }
        let processes: [Process]
        let classes: [Class]
    }

    func run() throws {
        let context = try ZMQContext()
        let reply = try RouterClient(endpoint: try address.endpoint(), context: context).status()
        let output = Output(
            processes: reply.processes.map {
                .init(name: $0.name, role: "\($0.role)", node: $0.node, healthy: $0.healthy, draining: $0.draining,
                      load: Int($0.load), last_seen_ms_ago: Int($0.lastSeenMillisecondsAgo))
            },
            classes: reply.classes.map {
                .init(name: $0.name, queued: Int($0.queued), in_flight: Int($0.inFlight), completed: Int($0.completed),
                      failed: Int($0.failed), p50_ms: $0.p50Milliseconds, p90_ms: $0.p90Milliseconds,
                      p99_ms: $0.p99Milliseconds)
            })
        if json { return try printJSON(output) }
        print("PROCESS".padding(toLength: 14, withPad: " ", startingAt: 0) + "ROLE     NODE        HEALTH    LOAD  SEEN")
        for p in output.processes {
            let health = p.healthy ? (p.draining ? "draining" : "ok") : "DEAD"
            print(p.name.padding(toLength: 14, withPad: " ", startingAt: 0)
                  + p.role.padding(toLength: 9, withPad: " ", startingAt: 0)
                  + p.node.padding(toLength: 12, withPad: " ", startingAt: 0)
                  + health.padding(toLength: 10, withPad: " ", startingAt: 0)
                  + String(p.load).padding(toLength: 6, withPad: " ", startingAt: 0) + "\(p.last_seen_ms_ago) ms ago")
        }
        print("")
        for c in output.classes {
            print("\(c.name): \(c.queued) queued, \(c.in_flight) in flight, \(c.completed) done, \(c.failed) failed; "
                  + String(format: "latency p50 %.0f ms, p90 %.0f ms, p99 %.0f ms", c.p50_ms, c.p90_ms, c.p99_ms))
        }
    }
}

struct RouterDrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain", abstract: "Send no new work to a node; its running work finishes.")

    @OptionGroup var address: RouterAddress

    @Argument(help: "The node name from the cluster file.")
    var node: String

    func run() throws {
        let context = try ZMQContext()
        try RouterClient(endpoint: try address.endpoint(), context: context).drain(node: node)
        print("draining \(node)")
    }
}
