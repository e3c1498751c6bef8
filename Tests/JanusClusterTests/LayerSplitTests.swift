import Testing
@testable import JanusCluster

@Suite struct LayerSplitTests {
    @Test(arguments: [3, 24, 30], [2, 3, 4])
    func evenSplitCoversEveryLayerOnceAndDiffersByAtMostOne(totalLayers: Int, stageCount: Int) throws {
        guard totalLayers >= stageCount else { return }
        let ranges = LayerSplit.evenRanges(totalLayers: totalLayers, stageCount: stageCount)
        #expect(ranges.count == stageCount)
        #expect(ranges.first?.lowerBound == 0)
        #expect(ranges.last?.upperBound == totalLayers)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        let sizes = ranges.map(\.count)
        #expect(sizes.allSatisfy { $0 > 0 })
        #expect((sizes.max() ?? 0) - (sizes.min() ?? 0) <= 1)
        #expect(sizes == sizes.sorted(by: >), "earlier stages take the extra layers")
    }

    @Test func evenSplitExamples() {
        #expect(LayerSplit.evenRanges(totalLayers: 3, stageCount: 2) == [0..<2, 2..<3])
        #expect(LayerSplit.evenRanges(totalLayers: 3, stageCount: 3) == [0..<1, 1..<2, 2..<3])
        #expect(LayerSplit.evenRanges(totalLayers: 24, stageCount: 2) == [0..<12, 12..<24])
        #expect(LayerSplit.evenRanges(totalLayers: 24, stageCount: 3) == [0..<8, 8..<16, 16..<24])
        #expect(LayerSplit.evenRanges(totalLayers: 24, stageCount: 4) == [0..<6, 6..<12, 12..<18, 18..<24])
        #expect(LayerSplit.evenRanges(totalLayers: 30, stageCount: 4) == [0..<8, 8..<16, 16..<23, 23..<30])
        #expect(LayerSplit.evenRanges(totalLayers: 30, stageCount: 3) == [0..<10, 10..<20, 20..<30])
    }

    @Test func evenSplitNeedsALayerPerStage() throws {
        let text = ClusterText.minimal + """
            [[stages]]
            data_endpoint = "tcp://127.0.0.1:5562"

            [[stages]]
            data_endpoint = "tcp://127.0.0.1:5563"
            """
        let spec = try ClusterText.parse(text)
        #expect(try spec.resolvedLayerRanges(totalLayers: 4).count == 4)
        let error = try #require(throws: ClusterFileError.self) { try spec.resolvedLayerRanges(totalLayers: 3) }
        #expect(error.description == "test.toml: split: cannot split 3 layers evenly over 4 stages")
    }

    @Test func explicitRangesMustEndAtTheModelsDepth() throws {
        let text = ClusterText.minimal(replacing: "split = \"even\"", with: "")
            .replacingOccurrences(of: "data_endpoint = \"tcp://127.0.0.1:5560\"",
                                  with: "data_endpoint = \"tcp://127.0.0.1:5560\"\nlayers = [0, 12]")
            .replacingOccurrences(of: "data_endpoint = \"tcp://127.0.0.1:5561\"",
                                  with: "data_endpoint = \"tcp://127.0.0.1:5561\"\nlayers = [12, 24]")
        let spec = try ClusterText.parse(text)
        #expect(try spec.resolvedLayerRanges(totalLayers: 24) == [0..<12, 12..<24])
        let error = try #require(throws: ClusterFileError.self) { try spec.resolvedLayerRanges(totalLayers: 30) }
        #expect(error.description == "test.toml: stages[1].layers: the stages cover layers 0..<24 but the model has 30 layers")
    }
}
