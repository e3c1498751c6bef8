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
