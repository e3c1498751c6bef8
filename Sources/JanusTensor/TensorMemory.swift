#if canImport(Glibc)
import Glibc
#endif

/// Memory the tensor ops keep between calls.
public enum TensorMemory {
    /// Heap allocations from this size up get mappings of their own (see below).
    public static let heapMappingThreshold = 1 << 20

    /// Makes glibc map every heap allocation of `heapMappingThreshold` bytes or more on its
    /// own and unmap it when freed, for the whole process. By default glibc raises that
    /// threshold each time such a block is freed (up to 32 MB), after which blocks of a few
    /// MB (convolution staging, packed weights, prefill activations under the pool's 4 MB)
    /// come from the heap and stay resident once freed: 20 MB on top of a whole image's
    /// peak. Larger buffers are `LargeBufferPool`'s and unaffected. Looked up at run time
    /// (Swift's Glibc module does not declare `mallopt`); false where it is missing.
    @discardableResult
    public static func mapLargeHeapAllocationsDirectly() -> Bool {
        #if canImport(Glibc)
        typealias MallocOption = @convention(c) (Int32, Int32) -> Int32
        let mmapThreshold: Int32 = -3  // glibc's M_MMAP_THRESHOLD
        guard let symbol = dlsym(nil, "mallopt") else { return false }
        return unsafeBitCast(symbol, to: MallocOption.self)(mmapThreshold, Int32(heapMappingThreshold)) == 1
        #else
        return false
        #endif
    }

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
