import CJanusKernels
import COpenBLAS

/// The threads the kernels run on: one persistent pool over the cores, shared by every
/// parallel kernel, with OpenBLAS held to the same count so the two never
/// oversubscribe the machine (prefill runs through OpenBLAS, decode through the pool).
///
/// The count defaults to the CPUs this process may use; the `JANUS_THREADS`
/// environment variable overrides it.
public enum ComputeThreads {
    /// Threads per kernel call, the calling thread included. Setting it (to ≥ 1) also
    /// sets OpenBLAS's count; do it between calls, e.g. once at start-up.
    public static var count: Int {
        get {
            _ = openBLASFollowsThePool
            return janus_threads_count()
        }
        set {
            janus_threads_set_count(max(newValue, 1))
            openblas_set_num_threads(Int32(clamping: janus_threads_count()))
        }
    }

    /// Touched by every op that calls OpenBLAS: the first one aligns OpenBLAS with the pool.
    static func prepare() { _ = openBLASFollowsThePool }
}

/// Swift runs this initialiser exactly once, thread-safely, on first use.
private let openBLASFollowsThePool: Void = openblas_set_num_threads(Int32(clamping: janus_threads_count()))
