/// How the router shares the pipeline between request classes and guards itself
/// against overload (`[policy]`). Heartbeat settings apply to every process.
public struct RouterPolicy: Hashable, Sendable {
    /// Fraction of the pipeline's batch rows kept free for understanding requests, so a
    /// burst of image generations cannot starve them. In `[0, 1)`.
    public var understandingShare: Double
    /// Image generations decoding at the same time; more wait in the queue.
    public var maxConcurrentGenerations: Int
    /// Requests waiting per class before the router answers "overloaded".
    public var maxQueuedGeneration: Int
    public var maxQueuedUnderstanding: Int
    /// Deadline given to a request that carries none, in milliseconds.
    public var defaultDeadlineMilliseconds: Int
    /// Heartbeats are sent this often in both directions, in milliseconds.
    public var heartbeatIntervalMilliseconds: Int
    /// A peer silent for this many intervals is considered dead.
    public var heartbeatLiveness: Int

    public static let defaults = RouterPolicy(
        understandingShare: 0.25, maxConcurrentGenerations: 4,
        maxQueuedGeneration: 64, maxQueuedUnderstanding: 256,
        defaultDeadlineMilliseconds: 300_000,
        heartbeatIntervalMilliseconds: 1_000, heartbeatLiveness: 3)

    public init(understandingShare: Double, maxConcurrentGenerations: Int,
                maxQueuedGeneration: Int, maxQueuedUnderstanding: Int,
                defaultDeadlineMilliseconds: Int,
                heartbeatIntervalMilliseconds: Int, heartbeatLiveness: Int) {
        self.understandingShare = understandingShare
        self.maxConcurrentGenerations = maxConcurrentGenerations
        self.maxQueuedGeneration = maxQueuedGeneration
        self.maxQueuedUnderstanding = maxQueuedUnderstanding
        self.defaultDeadlineMilliseconds = defaultDeadlineMilliseconds
        self.heartbeatIntervalMilliseconds = heartbeatIntervalMilliseconds
        self.heartbeatLiveness = heartbeatLiveness
    }

    /// How long a peer may stay silent before it is dropped.
    public var peerTimeoutMilliseconds: Int { heartbeatIntervalMilliseconds * heartbeatLiveness }
}

extension RouterPolicy {
    /// Reads `[policy]`; absent keys keep their defaults, out-of-range values are reported.
    static func read(_ table: TableReader?) -> RouterPolicy {
        var policy = RouterPolicy.defaults
        guard let table else { return policy }
        if let share = table.number("understanding_share") {
            if (0..<1).contains(share) { policy.understandingShare = share }
            else { table.report("understanding_share", "\(share) is outside [0, 1)") }
        }
        func positive(_ key: String, minimum: Int = 1, _ assign: (Int) -> Void) {
            guard let value = table.integer(key) else { return }
            if value >= minimum { assign(value) } else { table.report(key, "\(value) must be at least \(minimum)") }
        }
        positive("max_concurrent_generations") { policy.maxConcurrentGenerations = $0 }
        positive("max_queued_generation") { policy.maxQueuedGeneration = $0 }
        positive("max_queued_understanding") { policy.maxQueuedUnderstanding = $0 }
        positive("default_deadline_ms") { policy.defaultDeadlineMilliseconds = $0 }
        positive("heartbeat_interval_ms", minimum: 10) { policy.heartbeatIntervalMilliseconds = $0 }
        positive("heartbeat_liveness") { policy.heartbeatLiveness = $0 }
        table.finish()
        return policy
    }
}
