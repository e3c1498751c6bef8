import Foundation

/// The bytes behind one or more tensors: memory this process allocated (on its own or
/// in a `WeightArena` chunk), or a window into a read-only memory-mapped file (kept
/// mapped while any tensor uses it).
///
/// Storage never moves or resizes; tensors are views (`byteOffset`, `shape`) into it.
public final class TensorStorage: @unchecked Sendable {
    public let baseAddress: UnsafeMutableRawPointer
    public let byteCount: Int
    /// False for file mappings: their pages are shared, read-only views of the file.
    public let isWritable: Bool
    /// Keeps the owner of `baseAddress` (a `MappedFile`, a `WeightArena` chunk) alive.
    private let owner: AnyObject?

    /// Fresh, zero-filled, 64-byte aligned memory.
    public convenience init(zeroedByteCount byteCount: Int) {
        self.init(uninitializedByteCount: byteCount)
        baseAddress.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
    }

    /// 64-byte aligned memory whose contents are undefined: for outputs that a kernel
    /// overwrites in full. Debug builds fill it with NaN bytes so that a kernel that
    /// reads before writing shows up in tests.
    init(uninitializedByteCount byteCount: Int) {
        baseAddress = LargeBufferPool.shared.allocate(byteCount: max(byteCount, 1))
        #if DEBUG
        baseAddress.initializeMemory(as: UInt8.self, repeating: 0xff, count: max(byteCount, 1))
        #endif
        self.byteCount = byteCount
        isWritable = true
        owner = nil
    }

    /// Fresh, 64-byte aligned memory holding a copy of `bytes` (e.g. a received network
    /// frame, whose own memory has no alignment guarantee); not zero-filled first.
    public init(copying bytes: UnsafeRawBufferPointer) {
        baseAddress = LargeBufferPool.shared.allocate(byteCount: max(bytes.count, 1))
        if let source = bytes.baseAddress, bytes.count > 0 {
            baseAddress.copyMemory(from: source, byteCount: bytes.count)
        }
        byteCount = bytes.count
        isWritable = true
        owner = nil
    }

    /// A read-only window `[offset, offset + byteCount)` into a mapped file.
    public init(mapped file: MappedFile, offset: Int, byteCount: Int) {
        precondition(offset >= 0 && byteCount >= 0 && offset + byteCount <= file.byteCount,
                     "mapped window out of range")
        baseAddress = UnsafeMutableRawPointer(mutating: file.baseAddress + offset)
        self.byteCount = byteCount
        isWritable = false
        owner = file
    }

    /// Bytes a `WeightArena` placed (fresh, so zero-filled); the chunk stays while they do.
    init(arena placement: WeightArena.Placement, byteCount: Int) {
        precondition(placement.offset + byteCount <= placement.chunk.byteCount, "arena placement out of range")
        baseAddress = placement.chunk.baseAddress + placement.offset
        self.byteCount = byteCount
        isWritable = true
        owner = placement.chunk
    }

    deinit {
        if owner == nil { LargeBufferPool.shared.deallocate(baseAddress, byteCount: max(byteCount, 1)) }
    }
}
