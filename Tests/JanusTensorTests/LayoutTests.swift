import JanusTensor
import Testing

@Suite struct LayoutTests {
    @Test func permuteMatchesReference() {
        let shape = [2, 3, 4, 5]
        let x = randomTensor(shape, seed: 100)
        let values = x.floats()
        let axes = [2, 0, 3, 1]
        let result = permute(x, axes)
        #expect(result.shape == [4, 2, 5, 3])
        var expected: [Float] = []
        for i in 0..<4 { for j in 0..<2 { for k in 0..<5 { for l in 0..<3 {
            var index = [0, 0, 0, 0]
            (index[axes[0]], index[axes[1]], index[axes[2]], index[axes[3]]) = (i, j, k, l)
            expected.append(values[((index[0] * 3 + index[1]) * 4 + index[2]) * 5 + index[3]])
        } } } }
        #expect(result.floats() == expected)
    }

    @Test func headsAndTokensSwap() {
        // [T=2, H=3, D=2] -> [H, T, D]
        let x = Tensor(shape: [2, 3, 2], (0..<12).map(Float.init))
        #expect(permute(x, [1, 0, 2]).floats() == [0, 1, 6, 7, 2, 3, 8, 9, 4, 5, 10, 11])
    }

    @Test func channelsLastRoundTrip() {
        let x = Tensor(shape: [1, 2, 2, 2], (0..<8).map(Float.init))
        let channelsLast = nchwToNhwc(x)
        #expect(channelsLast.shape == [1, 2, 2, 2])
        #expect(channelsLast.floats() == [0, 4, 1, 5, 2, 6, 3, 7])
        let big = randomTensor([2, 5, 3, 7], seed: 101)
        #expect(nhwcToNchw(nchwToNhwc(big)).floats() == big.floats())
        #expect(nhwcToNchw(nchwToNhwc(big)).shape == big.shape)
    }

    @Test func identityPermutationCopies() {
        let x = randomTensor([3, 4], seed: 102)
        let copy = permute(x, [0, 1])
        #expect(copy.floats() == x.floats())
        #expect(copy.storage !== x.storage)
    }
}
