import Synchronization

/// Memory for weights made at load (int8 quantisations) that live as long as their model:
/// placed one after another in large huge-page chunks rather than each in its own mapping.
///
/// A mapping of its own rounds a weight up to whole 2 MiB pages, and the page holding its
/// last bytes is faulted in whole: Janus-Pro-1B's int8 `gate`/`up`/`down` values are
/// 11 MiB, so 72 of them held 72 MiB that nothing used (4% of the int8 weights). Here
/// only the chunk's last page is partly empty.
///
/// A chunk is never written twice: memory handed out is fresh, hence zero-filled. The
/// arena keeps only a weak reference to the chunk it fills, so a chunk goes back to the
/// system when the last tensor in it does.
final class WeightArena: Sendable {
    /// Where one weight lives: a chunk (which its storage keeps alive) and an offset.
    struct Placement {
        let chunk: Chunk
        let offset: Int
    }

    final class Chunk: @unchecked Sendable {
        let baseAddress: UnsafeMutableRawPointer
        let byteCount: Int

        init(byteCount: Int) {
            baseAddress = HugePageMemory.allocate(byteCount: byteCount)
            #if !os(Linux)
            baseAddress.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)  // only Linux maps it zeroed
            #endif
            self.byteCount = byteCount
        }

        deinit { HugePageMemory.deallocate(baseAddress, byteCount: byteCount) }
    }

    static let shared = WeightArena(chunkBytes: 256 << 20)

    /// Offsets are multiples of this (the kernels' widest loads).
    static let alignment = 64

    /// Bytes of a chunk; a larger weight gets a chunk of its own size.
    let chunkBytes: Int

    private struct Filling {
        weak var chunk: Chunk?
        var used = 0
    }

    private let filling = Mutex(Filling())

    init(chunkBytes: Int) { self.chunkBytes = chunkBytes }

    /// `byteCount` fresh, zero-filled bytes, 64-byte aligned.
    func allocate(byteCount: Int) -> Placement {
        let size = max(byteCount, 1)
        return filling.withLock { filling in
            let offset = (filling.used + Self.alignment - 1) / Self.alignment * Self.alignment
            if let chunk = filling.chunk, offset + size <= chunk.byteCount {
                filling.used = offset + size
                return Placement(chunk: chunk, offset: offset)
            }
            let chunk = Chunk(byteCount: max(size, chunkBytes))
            // A weight with a chunk of its own leaves the one being filled as it is.
            if size < chunkBytes {
                filling.chunk = chunk
                filling.used = size
            }
            return Placement(chunk: chunk, offset: 0)
        }
    }
}

extension Tensor {
    /// A zero-filled tensor in `arena`: for a weight made at load that lives as long as
    /// its model (its bytes go back only with the rest of their chunk).
    init(arenaZeros shape: [Int], dtype: DType, in arena: WeightArena) {
        let byteCount = shape.reduce(1, *) * dtype.size
        let placement = arena.allocate(byteCount: byteCount)
        self.init(storage: TensorStorage(arena: placement, byteCount: byteCount), dtype: dtype, shape: shape)
    }
}
