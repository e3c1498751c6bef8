import JanusWire

extension RouterServer {
    /// Every process with its health and load, and per-class queue and latency figures.
    func statusReply(now: UInt64) -> StatusReply {
        var processes = [ProcessStatus(name: name, role: .router, node: "", healthy: true, draining: false,
                                       load: UInt32(jobs.count), lastSeenMillisecondsAgo: 0)]
        for worker in registry.workers.values.sorted(by: { $0.name < $1.name }) {
            let role: Role = switch worker.role {
            case .encoder: .encoder
            case .decoder: .decoder
            case .stage: .stage
            }
            processes.append(ProcessStatus(
                name: worker.name, role: role, node: worker.node, healthy: worker.alive, draining: worker.draining,
                load: UInt32(worker.outstanding),
                lastSeenMillisecondsAgo: now > worker.lastSeenMilliseconds ? now - worker.lastSeenMilliseconds : 0))
        }
        let classes = RequestClass.allCases.map { kind -> ClassStatus in
            let latency = stats[kind] ?? LatencyStats()
            return ClassStatus(name: kind.rawValue, queued: UInt32(admission.queued(kind)),
                               inFlight: UInt32(jobs.values.filter { $0.kind == kind }.count - admission.queued(kind)),
                               completed: latency.completed, failed: latency.failed,
                               p50Milliseconds: latency.percentile(50), p90Milliseconds: latency.percentile(90),
                               p99Milliseconds: latency.percentile(99))
        }
        return StatusReply(processes: processes, classes: classes)
    }
}
