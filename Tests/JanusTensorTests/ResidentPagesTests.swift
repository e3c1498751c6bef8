import Foundation
@testable import JanusTensor
import Testing

/// `dropResidentFilePages`: after `--weights int8` quantises a checkpoint weight, the
/// weight's mapped pages leave the resident set, and reading it again still works.
@Suite struct ResidentPagesTests {
    static func residentBytes(ofMappingAt address: UnsafeRawPointer) -> Int? {
        MappingInfo.kilobytes("Rss", ofMappingAt: address).map { $0 * 1024 }
    }

    @Test func droppingAMappedTensorsPagesKeepsItsValues() throws {
        let original = randomTensor([256, 1024], seed: 1)  // 1 MiB of f32
        let mapped = mappedAtOddOffset(original)
        let values = mapped.floats()  // faults every page in
        #expect(values == original.floats())
        guard let before = Self.residentBytes(ofMappingAt: mapped.baseAddress) else { return }
        #expect(before >= 1 << 20)
        mapped.dropResidentFilePages()
        let after = try #require(Self.residentBytes(ofMappingAt: mapped.baseAddress))
        // Only the two partial pages at the ends may stay.
        #expect(after <= 2 * 4096, "\(after) bytes still resident")
        #expect(mapped.floats() == values)
    }

    @Test func allocatedTensorsAreLeftAlone() {
        let tensor = randomTensor([64, 64], seed: 2)
        let values = tensor.floats()
        tensor.dropResidentFilePages()
        #expect(tensor.floats() == values)
    }
}
