import Foundation

/// The roles that register with the router.
public enum WorkerRole: String, Sendable, Equatable, CaseIterable {
    case encoder, stage, decoder
}

/// What the router knows about one worker process.
public struct Worker: Sendable, Equatable {
    public struct Stage: Sendable, Equatable {
        public var index: Int
        public var count: Int
        public var layers: Range<Int>
        public var dataEndpoint: String
        public init(index: Int, count: Int, layers: Range<Int>, dataEndpoint: String) {
            self.index = index
            self.count = count
            self.layers = layers
            self.dataEndpoint = dataEndpoint
        }
    }

    public var name: String
    public var role: WorkerRole
    public var node: String
    public var capacity: Int
    public var stage: Stage?
    /// The ZeroMQ routing id of its connection to the router.
    public var routingID: Data
    public var lastSeenMilliseconds: UInt64
    /// Work the router has sent it and not yet seen answered.
    public var outstanding = 0
    public var alive = true
    public var draining = false

    public init(name: String, role: WorkerRole, node: String, capacity: Int, stage: Stage? = nil,
                routingID: Data, lastSeenMilliseconds: UInt64) {
        self.name = name
        self.role = role
        self.node = node
        self.capacity = max(capacity, 1)
        self.stage = stage
        self.routingID = routingID
        self.lastSeenMilliseconds = lastSeenMilliseconds
    }
}

/// Liveness and load of every worker: heartbeats in, least-loaded choice out.
public struct WorkerRegistry: Sendable {
    public private(set) var workers: [String: Worker] = [:]
    /// A worker is dead after this long without a message.
    public let livenessMilliseconds: UInt64

    public init(livenessMilliseconds: UInt64) { self.livenessMilliseconds = livenessMilliseconds }

    /// Registers (or re-registers after a restart) a worker. Returns the previous record
    /// whenever the name was registered before: its work is lost. A worker says `Hello`
    /// only when it (re)connects — a restarted process, or one that closed its link for
    /// the router's silence — so whatever the router sent it, and any reply it had
    /// queued, is gone, even while the router still counts it alive. (Routing ids are
    /// process names: a process the supervisor restarts within the liveness window comes
    /// back on the *same* routing id, still counted alive.)
    @discardableResult
    public mutating func register(_ worker: Worker) -> Worker? {
        let previous = workers[worker.name]
        var fresh = worker
        fresh.draining = previous?.draining ?? false
        workers[worker.name] = fresh
        return previous
    }

    public func worker(routingID: Data) -> Worker? {
        workers.values.first { $0.routingID == routingID }
    }

    /// Any message from a worker proves it alive.
    public mutating func heard(from name: String, at now: UInt64) {
        workers[name]?.lastSeenMilliseconds = now
    }

    /// Marks silent workers dead and returns them (each once).
    public mutating func expire(now: UInt64) -> [Worker] {
        var lost: [Worker] = []
        for (name, worker) in workers where worker.alive && now > worker.lastSeenMilliseconds + livenessMilliseconds {
            workers[name]?.alive = false
            workers[name]?.outstanding = 0
            lost.append(worker)
        }
        return lost.sorted { $0.name < $1.name }
    }

    public mutating func changeOutstanding(_ name: String, by delta: Int) {
        guard let current = workers[name]?.outstanding else { return }
        workers[name]?.outstanding = max(0, current + delta)
    }

    /// The live, non-draining worker of `role` with the lowest load relative to its
    /// capacity (ties: fewest outstanding, then name), skipping `excluded`.
    public func leastLoaded(_ role: WorkerRole, excluding excluded: Set<String> = []) -> Worker? {
        workers.values
            .filter { $0.role == role && $0.alive && !$0.draining && !excluded.contains($0.name) }
            .min { a, b in
                let loadA = Double(a.outstanding) / Double(a.capacity), loadB = Double(b.outstanding) / Double(b.capacity)
                if loadA != loadB { return loadA < loadB }
                if a.outstanding != b.outstanding { return a.outstanding < b.outstanding }
                return a.name < b.name
            }
    }

    /// Stops new work to every worker of `node`; returns how many workers that covers.
    public mutating func drain(node: String) -> Int {
        var count = 0
        for (name, worker) in workers where worker.node == node {
            workers[name]?.draining = true
            count += 1
        }
        return count
    }

    /// The stages in pipeline order, when every index of a complete pipeline is alive
    /// and not draining; nil otherwise.
    public var readyPipeline: [Worker]? {
        let stages = workers.values.filter { $0.role == .stage && $0.alive }
        guard let count = stages.first?.stage?.count, count > 0 else { return nil }
        let ordered = (0..<count).compactMap { index in stages.first { $0.stage?.index == index } }
        guard ordered.count == count, ordered.allSatisfy({ !$0.draining && $0.stage?.count == count }) else { return nil }
        return ordered
    }
}
