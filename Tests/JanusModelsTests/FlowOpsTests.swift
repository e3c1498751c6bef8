import Foundation
import JanusTensor
import Testing

/// The small ops the ShallowUViT added to JanusTensor, against direct loops.
@Suite struct FlowOpsTests {
    static func values(_ count: Int, seed: Int) -> [Float] {
        (0..<count).map { index -> Float in
            let angle = Double(index * 7 + seed) * 0.37
            return Float(sin(angle))
        }
    }

    @Test func depthwiseConvolutionMatchesADirectSum() {
        let (n, h, w, c, k, p) = (2, 5, 4, 3, 3, 1)
        let x = Tensor(shape: [n, h, w, c], Self.values(n * h * w * c, seed: 1))
        let weight = Tensor(shape: [c, 1, k, k], Self.values(c * k * k, seed: 2))
        let bias = Tensor(shape: [c], [Float](arrayLiteral: 0.5, -1, 0.25))
        let result = depthwiseConv2dChannelsLast(x, weight: weight.converted(to: .bf16).converted(to: .f32),
                                                 bias: bias, padding: p)
        let (xs, ws) = (x.floats(), weight.converted(to: .bf16).floats())
        var expected: [Float] = []
        for image in 0..<n { for row in 0..<h { for column in 0..<w { for channel in 0..<c {
            var sum = Double(bias.floats()[channel])
            for kh in 0..<k { for kw in 0..<k {
                let (r, q) = (row + kh - p, column + kw - p)
                guard r >= 0, r < h, q >= 0, q < w else { continue }
                sum += Double(xs[((image * h + r) * w + q) * c + channel]) * Double(ws[(channel * k + kh) * k + kw])
            } }
            expected.append(Float(sum))
        } } } }
        #expect(result.shape == [n, h, w, c])
        #expect(zip(result.floats(), expected).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func globalResponseNormFollowsConvNeXtV2() {
        let (n, h, w, c) = (2, 3, 2, 4)
        let x = Tensor(shape: [n, h, w, c], Self.values(n * h * w * c, seed: 3))
        let weight = Tensor(shape: [1, 1, 1, c], Self.values(c, seed: 4))
        let bias = Tensor(shape: [1, 1, 1, c], Self.values(c, seed: 5))
        let result = globalResponseNorm(x, weight: weight, bias: bias).floats()
        let (xs, ws, bs) = (x.floats(), weight.floats(), bias.floats())
        for image in 0..<n {
            let norms = (0..<c).map { channel -> Double in
                var sum = 0.0
                for position in 0..<(h * w) {
                    let value = Double(xs[(image * h * w + position) * c + channel])
                    sum += value * value
                }
                return sum.squareRoot()
            }
            let mean = norms.reduce(0, +) / Double(c)
            for position in 0..<(h * w) { for channel in 0..<c {
                let index = (image * h * w + position) * c + channel
                let gain = Double(ws[channel]) * norms[channel] / (mean + 1e-6) + 1
                let expected = Double(bs[channel]) + gain * Double(xs[index])
                #expect(abs(Double(result[index]) - expected) < 1e-5)
            } }
        }
    }

    @Test func concatenationJoinsLastAxes() {
        let a = Tensor(shape: [2, 2], [Float](arrayLiteral: 1, 2, 3, 4))
        let b = Tensor(shape: [2, 1], [Float](arrayLiteral: 9, 8))
        let joined = concatenateLastAxis(a, b)
        #expect(joined.shape == [2, 3] && joined.floats() == [1, 2, 9, 3, 4, 8])
    }
}
