import CJanusKernels

/// How fast this host streams memory into the cores: a decode step reads every weight
/// once, so weight bytes ÷ this rate is the floor under its time.
public enum HostBandwidth {
    /// Bytes per second read by the pool's threads: the best of `passes` passes over a
    /// fresh buffer of `bytes` (default 1 GiB, far beyond any cache). Nil when the buffer
    /// cannot be allocated.
    public static func measureRead(bytes: Int = 1 << 30, passes: Int = 8) -> Double? {
        let rate = janus_measure_read_bandwidth(bytes, passes, 0)
        return rate > 0 ? rate : nil
    }
}

/// A buffer far beyond the caches, written once and read again whenever a sample is
/// wanted: a shared host's read rate moves from minute to minute, so a benchmark samples
/// it between the steps it times rather than once before or after them.
public final class ReadBandwidthProbe: @unchecked Sendable {  // the buffer is only read after init
    private let probe: OpaquePointer

    /// Nil when `bytes` (at least 256 KiB) cannot be allocated.
    public init?(bytes: Int = 1 << 29) {
        guard let probe = janus_read_probe_create(bytes) else { return nil }
        self.probe = probe
    }

    deinit { janus_read_probe_destroy(probe) }

    /// Bytes per second of one pass over the buffer on the pool's threads.
    public func sample() -> Double { janus_read_probe_sample(probe, 0) }
}
