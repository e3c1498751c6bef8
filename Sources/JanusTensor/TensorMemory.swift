/// Memory the tensor ops keep between calls.
public enum TensorMemory {
    /// Hands back the freed activation buffers kept for reuse (`LargeBufferPool`): call it
    /// when there is no more work for now (the cluster's workers do when a turn of their
    /// loop finds nothing to do), so an idle server does not hold a decoder's peak; a busy
    /// one decodes image after image in the same, already-mapped buffers.
    public static func releasePooledBuffers() {
        LargeBufferPool.shared.drain()
    }
}
