/// The two kinds of traffic the router balances.
public enum RequestClass: String, Sendable, CaseIterable {
    case generate, understand
}

/// How the router shares the pipeline between generation and understanding.
public struct AdmissionPolicy: Sendable, Equatable {
    /// Pipeline rows generation may never take (0…1 of `pipelineRows`).
    public var understandingShare: Double
    /// Image-generation requests running at once.
    public var maxConcurrentGenerations: Int
    /// Requests waiting per class before new ones are refused as overloaded.
    public var maxQueued: [RequestClass: Int]
    /// Rows (sequences × rows each) the pipeline runs at once.
    public var pipelineRows: Int

    public init(understandingShare: Double = 0.25, maxConcurrentGenerations: Int = 4,
                maxQueuedGeneration: Int = 64, maxQueuedUnderstanding: Int = 256, pipelineRows: Int = 64) {
        self.understandingShare = min(max(understandingShare, 0), 1)
        self.maxConcurrentGenerations = max(maxConcurrentGenerations, 1)
        maxQueued = [.generate: max(maxQueuedGeneration, 0), .understand: max(maxQueuedUnderstanding, 0)]
        self.pipelineRows = max(pipelineRows, 1)
    }
}

/// Queues per class and the rule for letting requests into the pipeline.
public struct AdmissionControl: Sendable {
    public struct Waiting: Sendable, Equatable {
        public var id: String
        public var rows: Int
    }

    public var policy: AdmissionPolicy
    private var queues: [RequestClass: [Waiting]] = [:]
    private var running: [String: (RequestClass, Int)] = [:]

    public init(policy: AdmissionPolicy) { self.policy = policy }

    public func queued(_ kind: RequestClass) -> Int { queues[kind]?.count ?? 0 }
    public func inFlight(_ kind: RequestClass) -> Int { running.values.filter { $0.0 == kind }.count }
    public var rowsInUse: Int { running.values.reduce(0) { $0 + $1.1 } }

    /// Queues a request, or refuses it when its class's queue is full.
    public mutating func enqueue(_ id: String, kind: RequestClass, rows: Int) -> Bool {
        guard queued(kind) < policy.maxQueued[kind, default: 0] else { return false }
        queues[kind, default: []].append(Waiting(id: id, rows: rows))
        return true
    }

    /// Requests that may start now, in the order to start them. Understanding goes first
    /// (short and latency-sensitive); generation never takes the reserved share.
    public mutating func admit() -> [(id: String, kind: RequestClass)] {
        var admitted: [(String, RequestClass)] = []
        let generationLimit = Int((Double(policy.pipelineRows) * (1 - policy.understandingShare)).rounded(.down))
        while let next = queues[.understand]?.first, rowsInUse + next.rows <= policy.pipelineRows {
            queues[.understand]?.removeFirst()
            running[next.id] = (.understand, next.rows)
            admitted.append((next.id, .understand))
        }
        while let next = queues[.generate]?.first, inFlight(.generate) < policy.maxConcurrentGenerations,
              rowsInUse + next.rows <= policy.pipelineRows,
              generationRows + next.rows <= max(generationLimit, next.rows) {
            queues[.generate]?.removeFirst()
            running[next.id] = (.generate, next.rows)
            admitted.append((next.id, .generate))
        }
        return admitted
    }

    /// A running or queued request is over (finished, failed or cancelled).
    public mutating func finish(_ id: String) {
        running[id] = nil
        for kind in RequestClass.allCases { queues[kind]?.removeAll { $0.id == id } }
    }

    private var generationRows: Int { running.values.filter { $0.0 == .generate }.reduce(0) { $0 + $1.1 } }
}
