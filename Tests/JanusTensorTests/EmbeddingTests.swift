import JanusTensor
import Testing

@Suite struct EmbeddingTests {
    @Test(arguments: [DType.f32, .bf16, .f16], WeightPlacement.allCases)
    func gathersRowsAsFloat(dtype: DType, placement: WeightPlacement) {
        let table = randomWeight([50, 12], dtype: dtype, placement: placement, seed: 70)
        let ids = [3, 0, 49, 3]
        let rows = doubles(table)
        let expected = ids.flatMap { rows[$0 * 12..<($0 + 1) * 12] }
        expectClose(embedding(ids: ids, table: table), expected, relative: 0, absolute: 0)
        let output = Tensor(zeros: [4, 12])
        embedding(ids: ids, table: table, into: output)
        expectClose(output, expected, relative: 0, absolute: 0)
    }

    @Test func noIdsGiveAnEmptyResult() {
        #expect(embedding(ids: [], table: Tensor(zeros: [3, 2], dtype: .bf16)).shape == [0, 2])
    }

    @Test func idOutOfRangeIsRejected() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = embedding(ids: [1, 7], table: Tensor(zeros: [7, 4], dtype: .bf16))
        } .map { result in
            #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
                .contains("embedding: id 7 at position 1 is out of range for a table of 7 rows [7, 4]"))
        }
        await #expect(processExitsWith: .failure) {
            _ = embedding(ids: [-1], table: Tensor(zeros: [7, 4]))
        }
    }
}
