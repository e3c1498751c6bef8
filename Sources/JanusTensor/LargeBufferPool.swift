import Synchronization

/// Freed large buffers, kept for the next allocation of the same size.
///
/// glibc maps every allocation above its mmap threshold (32 MB at most) fresh and unmaps
/// it on free, so a decoder that makes a new 75 MB activation per layer paid a page fault
/// per 4 KiB every time (a tenth of a 384px VQ decode, in the kernel). Decoders allocate
/// runs of equal-sized tensors (one size per resolution level), so keeping freed buffers
/// by size turns those faults into reuse. A miss is served by the smallest larger pooled
/// buffer, cut down to size (its pages stay mapped: a decoder's first block at a new
/// width needs smaller buffers than the last block of the previous one); failing that,
/// every pooled buffer goes back first, so memory held for an old size never adds to the
/// peak at a new one.
///
/// Large buffers (weights, KV caches, activations) are `HugePageMemory`: streaming them
/// runs twice as fast in huge pages. Tensors use `LargeBufferPool.shared`.
final class LargeBufferPool: Sendable {
    /// Smaller buffers come from malloc's own free lists.
    static let minimumBytes = 1 << 22

    static let shared = LargeBufferPool(capacityBytes: 1 << 30)

    /// Buffers kept at most, in bytes.
    let capacityBytes: Int

    private struct Pool {
        var free: [Int: [UInt]] = [:]  // byte count -> addresses
        var bytes = 0
    }

    private let pool = Mutex(Pool())

    init(capacityBytes: Int) { self.capacityBytes = capacityBytes }

    deinit { drain() }

    /// 64-byte aligned memory of `byteCount` bytes (contents undefined).
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        guard byteCount >= Self.minimumBytes else {
            return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        }
        let reused: UInt? = pool.withLock { pool in
            if let address = pool.free[byteCount]?.popLast() {
                pool.bytes -= byteCount
                return address
            }
            if let larger = pool.free.filter({ $0.key > byteCount && !$0.value.isEmpty }).keys.min(),
               let address = pool.free[larger]?.last,
               let pointer = UnsafeMutableRawPointer(bitPattern: address),
               HugePageMemory.shrink(pointer, from: larger, to: byteCount) {
                pool.free[larger]?.removeLast()
                pool.bytes -= larger
                return address
            }
            Self.release(&pool)
            return nil
        }
        if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) { return pointer }
        return HugePageMemory.allocate(byteCount: byteCount)
    }

    /// Takes back memory from `allocate(byteCount:)`.
    func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        guard byteCount >= Self.minimumBytes else { return pointer.deallocate() }
        let kept = pool.withLock { pool in
            guard pool.bytes + byteCount <= capacityBytes else { return false }
            pool.free[byteCount, default: []].append(UInt(bitPattern: pointer))
            pool.bytes += byteCount
            return true
        }
        if !kept { HugePageMemory.deallocate(pointer, byteCount: byteCount) }
    }

    /// Gives every pooled buffer back to the system.
    func drain() {
        pool.withLock { Self.release(&$0) }
    }

    private static func release(_ pool: inout Pool) {
        for (byteCount, addresses) in pool.free {
            for address in addresses {
                if let pointer = UnsafeMutableRawPointer(bitPattern: address) {
                    HugePageMemory.deallocate(pointer, byteCount: byteCount)
                }
            }
        }
        pool.free = [:]
        pool.bytes = 0
    }

    /// Bytes held in the pool now (tests).
    var pooledBytes: Int { pool.withLock { $0.bytes } }
}
