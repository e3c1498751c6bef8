import Foundation
import JanusTensor

/// A decode step's time against the memory floor of this host: the bytes it must read
/// (weights, then also the KV caches) divided by the read bandwidth measured here and
/// now (hosts and their load differ too much for a fixed figure).
struct BandwidthFloor: Encodable {
    /// The buffer sampled between the timed steps: 16 times the last-level cache of
    /// today's servers, read in ≈ 10 ms.
    static let probeBytes = 1 << 29

    let weightBytesPerStep: Int
    let cacheBytesPerStep: Int
    /// The median of the samples.
    let readBytesPerSecond: Double
    let slowestReadBytesPerSecond: Double
    let fastestReadBytesPerSecond: Double
    /// Weights only (the floor the issue tracker states targets against).
    let floorSeconds: Double
    /// Weights and KV caches: everything the step has to read.
    let floorWithCacheSeconds: Double
    /// floor ÷ median step: 1 would be reading the weights at the full measured bandwidth.
    let efficiency: Double
    let efficiencyWithCache: Double

    enum CodingKeys: String, CodingKey {
        case weightBytesPerStep = "weight_bytes_per_step", readBytesPerSecond = "read_bytes_per_s"
        case slowestReadBytesPerSecond = "slowest_read_bytes_per_s", fastestReadBytesPerSecond = "fastest_read_bytes_per_s"
        case cacheBytesPerStep = "cache_bytes_per_step", floorWithCacheSeconds = "floor_with_cache_s"
        case floorSeconds = "floor_s", efficiency, efficiencyWithCache = "efficiency_with_cache"
    }

    /// `readRates`: samples taken between the steps; without any, one measurement now.
    init?(weightBytesPerStep: Int, cacheBytesPerStep: Int, step: Timing, readRates: [Double]) {
        let rates = readRates.isEmpty ? HostBandwidth.measureRead().map { [$0] } ?? [] : readRates.sorted()
        guard let slowest = rates.first, let fastest = rates.last, step.median > 0 else { return nil }
        self.weightBytesPerStep = weightBytesPerStep
        self.cacheBytesPerStep = cacheBytesPerStep
        readBytesPerSecond = rates[rates.count / 2]
        slowestReadBytesPerSecond = slowest
        fastestReadBytesPerSecond = fastest
        floorSeconds = Double(weightBytesPerStep) / readBytesPerSecond
        floorWithCacheSeconds = Double(weightBytesPerStep + cacheBytesPerStep) / readBytesPerSecond
        efficiency = floorSeconds / step.median
        efficiencyWithCache = floorWithCacheSeconds / step.median
    }

    var line: String {
        String(format: "  weights %.2f GB + KV caches %.2f GB per step; between the steps this host read %.1f GB/s "
               + "(%.1f-%.1f) -> floor %.1f ms (weights) / %.1f ms (all); step at %.0f%% / %.0f%% of it",
               Double(weightBytesPerStep) / 1e9, Double(cacheBytesPerStep) / 1e9, readBytesPerSecond / 1e9,
               slowestReadBytesPerSecond / 1e9, fastestReadBytesPerSecond / 1e9, floorSeconds * 1e3,
               floorWithCacheSeconds * 1e3, efficiency * 100, efficiencyWithCache * 100)
    }
}
