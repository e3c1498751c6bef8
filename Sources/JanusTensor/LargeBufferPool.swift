import Synchronization

/// Freed large buffers, kept for the next allocation of the same size.
///
/// glibc maps every allocation above its mmap threshold (32 MB at most) fresh and unmaps
/// it on free, so a decoder that makes a new 75 MB activation per layer paid a page fault
/// per 4 KiB every time (a tenth of a 384px VQ decode, in the kernel). Decoders allocate
/// runs of equal-sized tensors (one size per resolution level), so keeping freed buffers
/// by size turns those faults into reuse. A miss is served by the smallest larger pooled
/// buffer, lent whole and pooled again at the size it holds: the next image's decode
/// climbs through the levels on the pages the last one's largest level left, instead of
/// having the kernel zero fresh ones for every level (7% of a 384px VQ decode when the
/// larger buffers were cut down to size). Failing that, every pooled buffer goes back
/// first, so memory held for an old size never adds to the peak at a new one.
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
        /// Buffers handed out for fewer bytes than they hold: address -> byte count held.
        var lent: [UInt: Int] = [:]
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
               let address = pool.free[larger]?.popLast() {
                pool.bytes -= larger
                pool.lent[address] = larger
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
        let address = UInt(bitPattern: pointer)
        let (kept, held) = pool.withLock { pool in
            let held = pool.lent.removeValue(forKey: address) ?? byteCount
            guard pool.bytes + held <= capacityBytes else { return (false, held) }
            pool.free[held, default: []].append(address)
            pool.bytes += held
            return (true, held)
        }
        if !kept { HugePageMemory.deallocate(pointer, byteCount: held) }
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
