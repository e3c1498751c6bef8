/// Memory the tensor ops keep between calls.
public enum TensorMemory {
    /// Hands back the freed activation buffers kept for reuse (`LargeBufferPool`): call it
    /// when a long piece of work is done (an image decoded), so an idle server does not
    /// hold the decoder's peak.
    public static func releasePooledBuffers() {
        LargeBufferPool.drain()
    }
}
