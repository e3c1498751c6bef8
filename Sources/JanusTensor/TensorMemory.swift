/// Memory the tensor ops keep between calls.
public enum TensorMemory {
    /// Hands back the freed activation buffers kept for reuse (`LargeBufferPool`): call it
    /// when there is no more work for now (the cluster's workers do when a turn of their
    /// loop finds nothing to do), so an idle server does not hold a decoder's peak; a busy
    /// one decodes image after image in the same, already-mapped buffers.
    public static func releasePooledBuffers() {
        LargeBufferPool.shared.drain()
    }

    /// Runs `body`, a pass whose large buffers all die with it (an image decoder's levels),
    /// letting it take larger pooled buffers whole rather than cut down, so that image
    /// after image reuses the pages the last one's largest level left. Whatever `body`
    /// returns may sit in such a buffer: return a tensor that is dropped soon after.
    public static func lendingPooledBuffersWhole<T>(_ body: () throws -> T) rethrows -> T {
        try LargeBufferPool.lendingWhole(body)
    }
}
