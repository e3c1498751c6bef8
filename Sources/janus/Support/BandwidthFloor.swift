import Foundation
import JanusTensor

/// A decode step's time against the memory floor of this host: the weight bytes it
/// streams divided by the read bandwidth measured here and now (hosts and their load
/// differ too much for a fixed figure).
struct BandwidthFloor: Encodable {
    let weightBytesPerStep: Int
    let readBytesPerSecond: Double
    let floorSeconds: Double
    /// floor ÷ measured step: 1 would be reading at the full measured bandwidth.
    let efficiency: Double

    enum CodingKeys: String, CodingKey {
        case weightBytesPerStep = "weight_bytes_per_step", readBytesPerSecond = "read_bytes_per_s"
        case floorSeconds = "floor_s", efficiency
    }

    init?(weightBytesPerStep: Int, step: Timing) {
        guard let rate = HostBandwidth.measureRead(), step.median > 0 else { return nil }
        self.weightBytesPerStep = weightBytesPerStep
        readBytesPerSecond = rate
        floorSeconds = Double(weightBytesPerStep) / rate
        efficiency = floorSeconds / step.median
    }

    var line: String {
        String(format: "  weights %.2f GB per step; this host reads %.1f GB/s -> floor %.1f ms; step at %.0f%% of it",
               Double(weightBytesPerStep) / 1e9, readBytesPerSecond / 1e9, floorSeconds * 1e3, efficiency * 100)
    }
}
