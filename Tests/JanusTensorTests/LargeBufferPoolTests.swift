@testable import JanusTensor
import Testing

/// The pool is process-wide, so these checks run one at a time and only use sizes no
/// other test allocates.
@Suite(.serialized) struct LargeBufferPoolTests {
    @Test func aFreedLargeBufferIsReusedForTheSameSize() {
        let size = LargeBufferPool.minimumBytes + 4096 * 7
        let first = LargeBufferPool.allocate(byteCount: size)
        LargeBufferPool.deallocate(first, byteCount: size)
        #expect(LargeBufferPool.pooledBytes >= size)
        let second = LargeBufferPool.allocate(byteCount: size)
        #expect(second == first)
        LargeBufferPool.deallocate(second, byteCount: size)
        TensorMemory.releasePooledBuffers()
        #expect(LargeBufferPool.pooledBytes == 0)
    }

    @Test func aMissGivesThePooledBuffersBack() {
        let size = LargeBufferPool.minimumBytes + 4096 * 11
        let buffer = LargeBufferPool.allocate(byteCount: size)
        LargeBufferPool.deallocate(buffer, byteCount: size)
        let other = LargeBufferPool.allocate(byteCount: size + 4096)
        #expect(LargeBufferPool.pooledBytes == 0)
        LargeBufferPool.deallocate(other, byteCount: size + 4096)
        LargeBufferPool.drain()
    }

    @Test func smallBuffersAreNotPooled() {
        let pooled = LargeBufferPool.pooledBytes
        let small = LargeBufferPool.allocate(byteCount: 1024)
        LargeBufferPool.deallocate(small, byteCount: 1024)
        #expect(LargeBufferPool.pooledBytes == pooled)
    }

    @Test func zeroedStorageIsZeroEvenWhenReused() {
        let count = LargeBufferPool.minimumBytes / 4 + 1024 * 13
        do {
            let dirty = Tensor(uninitialized: [count])
            dirty.mutableFloats(for: "test", expectedShape: [count]).update(repeating: 7, count: count)
        }
        let zeros = Tensor(zeros: [count])
        #expect(zeros.floats().allSatisfy { $0 == 0 })
        LargeBufferPool.drain()
    }
}
