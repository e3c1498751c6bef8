import Foundation
@testable import JanusTensor
import Testing

/// `TensorMemory.mapLargeHeapAllocationsDirectly`: blocks of a few MB must get mappings of
/// their own (unmapped when freed), even after glibc would have raised its threshold.
@Suite struct HeapMappingTests {
    #if os(Linux)
    @Test func blocksOfAFewMegabytesGetMappingsOfTheirOwn() throws {
        // Freeing a mapped 16 MB block is what makes glibc raise its threshold by default.
        let large = try #require(malloc(16 << 20))
        memset(large, 1, 16 << 20)
        free(large)
        #expect(TensorMemory.mapLargeHeapAllocationsDirectly())

        // Free chunks the heap already holds (other tests') still serve blocks first; once
        // they are used up, every new block is a mapping of its own: the block and glibc's
        // header page, not a heap of many MB. Without the setting none would be.
        let byteCount = 3 << 20
        var blocks: [UnsafeMutableRawPointer] = []
        defer { blocks.forEach { free($0) } }
        var ownMappings = 0
        while blocks.count < 128 && ownMappings < 2 {
            let block = try #require(malloc(byteCount))
            blocks.append(block)
            let mapped = try #require(MappingInfo.kilobytes("Size", ofMappingAt: block))
            if mapped * 1024 >= byteCount && mapped * 1024 <= byteCount + 8192 { ownMappings += 1 }
        }
        #expect(ownMappings == 2, "after \(blocks.count) blocks")
    }
    #endif
}
