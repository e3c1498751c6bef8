import Foundation

/// The bytes behind one or more tensors: either memory this process allocated, or a
/// window into a read-only memory-mapped file (kept mapped while any tensor uses it).
///
/// Storage never moves or resizes; tensors are views (`byteOffset`, `shape`) into it.
public final class TensorStorage: @unchecked Sendable {
    public let baseAddress: UnsafeMutableRawPointer
    public let byteCount: Int
    /// False for file mappings: their pages are shared, read-only views of the file.
    public let isWritable: Bool
    /// Keeps the owner of `baseAddress` (e.g. a `MappedFile`) alive.
    private let owner: AnyObject?

    /// Fresh, zero-filled, 64-byte aligned memory.
    public init(zeroedByteCount byteCount: Int) {
        let rounded = max(byteCount, 1)
        baseAddress = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: 64)
        baseAddress.initializeMemory(as: UInt8.self, repeating: 0, count: rounded)
        self.byteCount = byteCount
        isWritable = true
        owner = nil
    }

    /// Fresh, 64-byte aligned memory holding a copy of `bytes` (e.g. a received network
    /// frame, whose own memory has no alignment guarantee); not zero-filled first.
    public init(copying bytes: UnsafeRawBufferPointer) {
        baseAddress = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 64)
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

    deinit {
        if owner == nil { baseAddress.deallocate() }
    }
}
