import JanusTensor
import Testing

/// The read-bandwidth probes report a rate; tests never judge how fast it is.
@Suite struct HostBandwidthTests {
    @Test func aProbeSamplesItsBufferAgainAndAgain() throws {
        let probe = try #require(ReadBandwidthProbe(bytes: 8 << 20))
        let samples = (0..<3).map { _ in probe.sample() }
        #expect(samples.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func aProbeNeedsAtLeastOneChunk() {
        #expect(ReadBandwidthProbe(bytes: 1 << 17) == nil)  // under the 256 KiB a thread reads at a time
    }

    @Test func aOneOffMeasurementReportsARate() throws {
        let rate = try #require(HostBandwidth.measureRead(bytes: 8 << 20, passes: 2))
        #expect(rate.isFinite && rate > 0)
    }
}
