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

    #if os(Linux)
    /// The smallest larger buffer serves a smaller size, cut down: its first pages keep
    /// their contents (no fresh, zeroed pages), and it goes back at its new size.
    @Test func aMissForASmallerSizeReusesALargerBufferCutDown() {
        let large = 3 * HugePageMemory.alignment + 4096 * 3, small = 2 * HugePageMemory.alignment + 4096 * 5
        let larger = pool.allocate(byteCount: large + HugePageMemory.alignment)
        let buffer = pool.allocate(byteCount: large)
        buffer.storeBytes(of: 0x5a5a_5a5a, toByteOffset: small - 4, as: UInt32.self)
        pool.deallocate(larger, byteCount: large + HugePageMemory.alignment)
        pool.deallocate(buffer, byteCount: large)
        let reused = pool.allocate(byteCount: small)
        #expect(reused == buffer, "not the smallest larger buffer")
        #expect(reused.load(fromByteOffset: small - 4, as: UInt32.self) == 0x5a5a_5a5a)
        #expect(pool.pooledBytes == large + HugePageMemory.alignment)
        pool.deallocate(reused, byteCount: small)
        #expect(pool.pooledBytes == large + HugePageMemory.alignment + small)
    }
    #endif

    /// Inside a lending pass the smallest larger buffer an earlier pass used serves a
    /// smaller size whole: its pages keep their contents (no fresh, zeroed pages), and it
    /// goes back at the size it holds, ready for its own size again.
    @Test func aLendingPassTakesTheSmallestLargerBufferOfAnEarlierPassWhole() {
        let large = 3 * HugePageMemory.alignment + 4096 * 3, small = 2 * HugePageMemory.alignment + 4096 * 5
        let (larger, buffer) = LargeBufferPool.lendingWhole {
            (pool.allocate(byteCount: large + HugePageMemory.alignment), pool.allocate(byteCount: large))
        }
        buffer.storeBytes(of: 0x5a5a_5a5a, toByteOffset: large - 4, as: UInt32.self)
        pool.deallocate(larger, byteCount: large + HugePageMemory.alignment)
        pool.deallocate(buffer, byteCount: large)
        let lent = LargeBufferPool.lendingWhole { pool.allocate(byteCount: small) }
        #expect(lent == buffer, "not the smallest larger buffer")
        #expect(pool.pooledBytes == large + HugePageMemory.alignment)
        pool.deallocate(lent, byteCount: small)
        #expect(pool.pooledBytes == 2 * large + HugePageMemory.alignment, "not pooled at the size it holds")
        let again = pool.allocate(byteCount: large)
        #expect(again == buffer)
        #expect(again.load(fromByteOffset: large - 4, as: UInt32.self) == 0x5a5a_5a5a, "its pages were replaced")
        pool.deallocate(again, byteCount: large)
    }

    #if os(Linux)
    /// A buffer made outside any pass (a KV cache, a weight) is cut down even inside one.
    @Test func aLendingPassCutsDownBuffersMadeOutsidePasses() {
        let large = 3 * HugePageMemory.alignment, small = 2 * HugePageMemory.alignment
        let buffer = pool.allocate(byteCount: large)
        pool.deallocate(buffer, byteCount: large)
        let reused = LargeBufferPool.lendingWhole { pool.allocate(byteCount: small) }
        #expect(reused == buffer)
        pool.deallocate(reused, byteCount: small)
        #expect(pool.pooledBytes == small, "lent whole")
    }
    #endif

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
