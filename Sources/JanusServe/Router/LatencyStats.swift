/// Recent request latencies of one class, for percentiles in `router status`.
public struct LatencyStats: Sendable {
    private var samples: [Double] = []
    private var next = 0
    public let window: Int
    public private(set) var completed: UInt64 = 0
    public private(set) var failed: UInt64 = 0

    public init(window: Int = 1000) { self.window = max(window, 1) }

    public mutating func recordSuccess(milliseconds: Double) {
        completed += 1
        if samples.count < window {
            samples.append(milliseconds)
        } else {
            samples[next] = milliseconds
            next = (next + 1) % window
        }
    }

    public mutating func recordFailure() { failed += 1 }

    /// The `p`-th percentile (0…100, nearest rank) of the recent window; 0 when empty.
    public func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        return Self.nearestRank(p, inSorted: samples.sorted())
    }

    /// The `p`-th percentile (0…100) of ascending, non-empty `sorted` by nearest rank.
    public static func nearestRank(_ p: Double, inSorted sorted: [Double]) -> Double {
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
