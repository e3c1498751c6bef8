import Foundation
@testable import JanusTensor
import Testing

/// Large buffers (weights, KV caches, activations) sit in memory the kernel may back
/// with transparent huge pages: decode steps stream them at twice the rate.
@Suite struct HugePageMemoryTests {
    @Test func mappingsAreWholeAlignedHugePages() {
        let byteCount = 3 * HugePageMemory.alignment + 4096 * 5
        #expect(HugePageMemory.mappedLength(byteCount) == 4 * HugePageMemory.alignment)
        let pointer = HugePageMemory.allocate(byteCount: byteCount)
        defer { HugePageMemory.deallocate(pointer, byteCount: byteCount) }
        #expect(Int(bitPattern: pointer) % HugePageMemory.alignment == 0)
        let bytes = pointer.bindMemory(to: UInt8.self, capacity: byteCount)
        #expect(bytes[0] == 0 && bytes[byteCount - 1] == 0)  // fresh mappings are zero
        bytes.update(repeating: 0xa5, count: byteCount)
        #expect(bytes[byteCount - 1] == 0xa5)
    }

    @Test func theSettingsBracketedChoiceIsTheMode() {
        #expect(TransparentHugePages.mode(fromSetting: "always [madvise] never\n") == "madvise")
        #expect(TransparentHugePages.mode(fromSetting: "[always] madvise never") == "always")
        #expect(TransparentHugePages.mode(fromSetting: "always madvise never") == nil)
    }

    #if os(Linux)
    @Test func largeTensorsAreEligibleForHugePages() throws {
        let tensor = Tensor(zeros: [LargeBufferPool.minimumBytes / 4 + 4096])
        let mode = try #require(TransparentHugePages.mode)
        let eligible = try #require(MappingInfo.kilobytes("THPeligible", ofMappingAt: tensor.baseAddress))
        // Under `never` nothing is eligible; under `madvise` only what asked for it.
        #expect(eligible == (mode == "never" ? 0 : 1), "THP mode \(mode)")
    }
    #endif
}
