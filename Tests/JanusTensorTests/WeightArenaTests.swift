@testable import JanusTensor
import Testing

/// Weights made at load share huge-page chunks instead of each rounding a mapping of its
/// own up to whole 2 MiB pages.
@Suite struct WeightArenaTests {
    @Test func placementsFollowOneAnotherAligned() {
        let arena = WeightArena(chunkBytes: 1 << 20)
        let first = arena.allocate(byteCount: 100)
        let second = arena.allocate(byteCount: 1000)
        let third = arena.allocate(byteCount: 64)
        #expect(first.chunk === second.chunk && second.chunk === third.chunk)
        #expect(first.offset == 0 && second.offset == 128 && third.offset == 1152)
        #expect(Int(bitPattern: first.chunk.baseAddress) % HugePageMemory.alignment == 0)
    }

    @Test func aFullChunkIsFollowedByAFreshOne() {
        let arena = WeightArena(chunkBytes: 4096)
        let first = arena.allocate(byteCount: 3000)
        let second = arena.allocate(byteCount: 3000)
        #expect(first.chunk !== second.chunk && second.offset == 0)
        let bytes = (second.chunk.baseAddress + second.offset).bindMemory(to: UInt8.self, capacity: 3000)
        #expect((0..<3000).allSatisfy { bytes[$0] == 0 })  // fresh memory is zero-filled
    }

    @Test func aWeightLargerThanAChunkGetsItsOwnAndTheFillingGoesOn() {
        let arena = WeightArena(chunkBytes: 4096)
        let small = arena.allocate(byteCount: 100)
        let large = arena.allocate(byteCount: 10_000)
        let next = arena.allocate(byteCount: 100)
        #expect(large.chunk !== small.chunk && large.chunk.byteCount == 10_000)
        #expect(next.chunk === small.chunk && next.offset == 128)
    }

    @Test func aChunkGoesWhenItsLastTensorDoes() {
        let arena = WeightArena(chunkBytes: 4096)
        weak var released: WeightArena.Chunk?
        do {
            let placement = arena.allocate(byteCount: 100)
            released = placement.chunk
            #expect(released != nil)
        }
        #expect(released == nil)
        let fresh = arena.allocate(byteCount: 100)
        #expect(fresh.offset == 0)
    }

    @Test func int8WeightsOfOddHugePageMultiplesSitSideBySide() {
        // 1.5 MiB of values each: on their own, each would occupy a whole 2 MiB page.
        let arena = WeightArena(chunkBytes: 8 << 20)
        let weight = Tensor(zeros: [768, 2048])
        let first = Int8BlockWeight(quantizing: weight, arena: arena)
        let second = Int8BlockWeight(quantizing: weight, arena: arena)
        let firstEnd = Int(bitPattern: first.values.baseAddress) + first.values.byteCount
        let gap = Int(bitPattern: second.values.baseAddress) - firstEnd
        // Only the first weight's scales (and alignment) lie between the two value runs.
        #expect(gap >= first.scales.byteCount && gap < first.scales.byteCount + 2 * WeightArena.alignment)
    }
}
