import Synchronization

/// Freed large buffers, kept for the next allocation of the same size.
///
/// glibc maps every allocation above its mmap threshold (32 MB at most) fresh and unmaps
/// it on free, so a decoder that makes a new 75 MB activation per layer paid a page fault
/// per 4 KiB every time (a tenth of a 384px VQ decode, in the kernel). Decoders allocate
/// runs of equal-sized tensors (one size per resolution level), so keeping freed buffers
/// by size turns those faults into reuse. A miss gives every pooled buffer back first,
/// so memory held for an old size never adds to the peak at a new one.
///
/// Large buffers (weights, KV caches, activations) are `HugePageMemory`: streaming them
/// runs twice as fast in huge pages.
enum LargeBufferPool {
    /// Smaller buffers come from malloc's own free lists.
    static let minimumBytes = 1 << 22
    /// Buffers kept at most, in bytes.
    static let capacityBytes = 1 << 30

    private struct Pool {
        var free: [Int: [UInt]] = [:]  // byte count -> addresses
        var bytes = 0
    }

    private static let pool = Mutex(Pool())

    /// 64-byte aligned memory of `byteCount` bytes (contents undefined).
    static func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        if byteCount >= minimumBytes {
            let reused: UInt? = pool.withLock { pool in
                if let address = pool.free[byteCount]?.popLast() {
                    pool.bytes -= byteCount
                    return address
                }
                release(&pool)
                return nil
            }
            if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) { return pointer }
            return HugePageMemory.allocate(byteCount: byteCount)
        }
        return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
    }

    /// Takes back memory from `allocate(byteCount:)`.
    static func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        if byteCount >= minimumBytes {
            let kept = pool.withLock { pool in
                guard pool.bytes + byteCount <= capacityBytes else { return false }
                pool.free[byteCount, default: []].append(UInt(bitPattern: pointer))
                pool.bytes += byteCount
                return true
            }
            if !kept { HugePageMemory.deallocate(pointer, byteCount: byteCount) }
            return
        }
        pointer.deallocate()
    }

    /// Gives every pooled buffer back to the system.
    static func drain() {
        pool.withLock { release(&$0) }
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
    static var pooledBytes: Int { pool.withLock { $0.bytes } }
}
