import Synchronization

/// Freed large buffers, kept for the next allocation of the same size.
///
/// glibc maps every allocation above its mmap threshold (32 MB at most) fresh and unmaps
/// it on free, so a decoder that makes a new 75 MB activation per layer paid a page fault
/// per 4 KiB every time (a tenth of a 384px VQ decode, in the kernel). Decoders allocate
/// runs of equal-sized tensors (one size per resolution level), so keeping freed buffers
/// by size turns those faults into reuse. A miss is served by the smallest larger pooled
/// buffer, cut down to size (its first pages stay mapped: a decoder's first block at a
/// new width needs smaller buffers than the last block of the previous one); failing
/// that, every pooled buffer goes back first, so memory held for an old size never adds
/// to the peak at a new one.
///
/// Inside `lendingWhole` (an image decoder's pass, whose every buffer dies with it) a
/// larger buffer that an earlier pass used is lent whole instead and pooled again at the
/// size it holds: the next image then climbs through the levels on the pages the last
/// one's largest level left, where cutting down had the kernel zero fresh ones for every
/// level (7% of a 384px VQ decode). Other buffers are never lent whole: a weight made
/// after a larger buffer was freed would keep all of it for good (int8 weights quantised
/// from freed bf16 ones held twice their size), and the KV caches a generation frees just
/// before its decode would stay resident through it.
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
        /// Buffers last handed out inside a lending pass, live or pooled: only these are
        /// lent whole (a KV cache freed before a decode must still be cut down).
        var passBuffers: Set<UInt> = []
    }

    private let pool = Mutex(Pool())

    init(capacityBytes: Int) { self.capacityBytes = capacityBytes }

    /// Whether a miss may take a larger pooled buffer whole (see `lendingWhole`).
    @TaskLocal static var lendsWhole = false

    /// Runs `body`, whose large buffers all die with it, with larger pooled buffers lent
    /// whole rather than cut down.
    static func lendingWhole<T>(_ body: () throws -> T) rethrows -> T {
        try $lendsWhole.withValue(true) { try body() }
    }

    deinit { drain() }

    /// 64-byte aligned memory of `byteCount` bytes (contents undefined).
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        guard byteCount >= Self.minimumBytes else {
            return UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        }
        let inPass = Self.lendsWhole
        let reused: UInt? = pool.withLock { pool in
            let address = Self.reuse(byteCount: byteCount, inPass: inPass, from: &pool)
            if let address {
                if inPass { pool.passBuffers.insert(address) } else { pool.passBuffers.remove(address) }
            }
            return address
        }
        if let reused, let pointer = UnsafeMutableRawPointer(bitPattern: reused) { return pointer }
        let fresh = HugePageMemory.allocate(byteCount: byteCount)
        if inPass { _ = pool.withLock { $0.passBuffers.insert(UInt(bitPattern: fresh)) } }
        return fresh
    }

    /// A pooled buffer for `byteCount` bytes: one of that size; else, in a lending pass,
    /// the smallest larger one from an earlier pass, lent whole; else the smallest larger
    /// one cut down. Nil (every pooled buffer given back) when there is none.
    private static func reuse(byteCount: Int, inPass: Bool, from pool: inout Pool) -> UInt? {
        if let address = pool.free[byteCount]?.popLast() {
            pool.bytes -= byteCount
            return address
        }
        let larger = pool.free.keys.filter { $0 > byteCount && !(pool.free[$0]?.isEmpty ?? true) }.sorted()
        if inPass, let held = larger.first(where: { pool.free[$0]!.contains(where: pool.passBuffers.contains) }),
           let index = pool.free[held]?.firstIndex(where: pool.passBuffers.contains),
           let address = pool.free[held]?.remove(at: index) {
            pool.bytes -= held
            pool.lent[address] = held
            return address
        }
        if let held = larger.first, let address = pool.free[held]?.last,
           let pointer = UnsafeMutableRawPointer(bitPattern: address),
           HugePageMemory.shrink(pointer, from: held, to: byteCount) {
            pool.free[held]?.removeLast()
            pool.bytes -= held
            return address
        }
        release(&pool)
        return nil
    }

    /// Takes back memory from `allocate(byteCount:)`.
    func deallocate(_ pointer: UnsafeMutableRawPointer, byteCount: Int) {
        guard byteCount >= Self.minimumBytes else { return pointer.deallocate() }
        let address = UInt(bitPattern: pointer)
        let (kept, held) = pool.withLock { pool in
            let held = pool.lent.removeValue(forKey: address) ?? byteCount
            guard pool.bytes + held <= capacityBytes else {
                pool.passBuffers.remove(address)
                return (false, held)
            }
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
                pool.passBuffers.remove(address)
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
