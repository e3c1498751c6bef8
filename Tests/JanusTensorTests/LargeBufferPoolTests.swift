@testable import JanusTensor
import Testing

/// Each test has a pool of its own; the shared pool (tensors') only in the last check.
@Suite struct LargeBufferPoolTests {
    let pool = LargeBufferPool(capacityBytes: 1 << 28)
    let size = LargeBufferPool.minimumBytes + 4096 * 7

    @Test func aFreedLargeBufferIsReusedForTheSameSize() {
        let first = pool.allocate(byteCount: size)
        pool.deallocate(first, byteCount: size)
        #expect(pool.pooledBytes == size)
        let second = pool.allocate(byteCount: size)
        #expect(second == first)
        #expect(pool.pooledBytes == 0)
        pool.deallocate(second, byteCount: size)
        pool.drain()
        #expect(pool.pooledBytes == 0)
    }

    @Test func aMissForALargerSizeGivesThePooledBuffersBack() {
        let buffer = pool.allocate(byteCount: size)
        pool.deallocate(buffer, byteCount: size)
        let other = pool.allocate(byteCount: size + 4096)
        #expect(pool.pooledBytes == 0)
        pool.deallocate(other, byteCount: size + 4096)
        #expect(pool.pooledBytes == size + 4096)
    }

    /// The smallest larger buffer serves a smaller size, whole: its pages keep their
    /// contents (no fresh, zeroed pages), and it goes back at the size it holds, ready for
    /// its own size again.
    @Test func aMissForASmallerSizeLendsTheSmallestLargerBufferWhole() {
        let large = 3 * HugePageMemory.alignment + 4096 * 3, small = 2 * HugePageMemory.alignment + 4096 * 5
        let larger = pool.allocate(byteCount: large + HugePageMemory.alignment)
        let buffer = pool.allocate(byteCount: large)
        buffer.storeBytes(of: 0x5a5a_5a5a, toByteOffset: large - 4, as: UInt32.self)
        pool.deallocate(larger, byteCount: large + HugePageMemory.alignment)
        pool.deallocate(buffer, byteCount: large)
        let lent = pool.allocate(byteCount: small)
        #expect(lent == buffer, "not the smallest larger buffer")
        #expect(pool.pooledBytes == large + HugePageMemory.alignment)
        pool.deallocate(lent, byteCount: small)
        #expect(pool.pooledBytes == 2 * large + HugePageMemory.alignment, "not pooled at the size it holds")
        let again = pool.allocate(byteCount: large)
        #expect(again == buffer)
        #expect(again.load(fromByteOffset: large - 4, as: UInt32.self) == 0x5a5a_5a5a, "its pages were replaced")
        pool.deallocate(again, byteCount: large)
    }

    @Test func buffersBeyondTheCapacityGoBackAtOnce() {
        let small = LargeBufferPool(capacityBytes: size)
        let (first, second) = (small.allocate(byteCount: size), small.allocate(byteCount: size))
        small.deallocate(first, byteCount: size)
        small.deallocate(second, byteCount: size)
        #expect(small.pooledBytes == size)
    }

    @Test func smallBuffersAreNotPooled() {
        let buffer = pool.allocate(byteCount: 1024)
        pool.deallocate(buffer, byteCount: 1024)
        #expect(pool.pooledBytes == 0)
    }

    @Test func zeroedStorageIsZeroEvenWhenReused() {
        let count = LargeBufferPool.minimumBytes / 4 + 1024 * 13
        do {
            let dirty = Tensor(uninitialized: [count])
            dirty.mutableFloats(for: "test", expectedShape: [count]).update(repeating: 7, count: count)
        }
        let zeros = Tensor(zeros: [count])
        #expect(zeros.floats().allSatisfy { $0 == 0 })
    }
}
