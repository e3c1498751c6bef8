import Foundation
import JanusTensor
import Testing

/// HF Llama: q * cos + rotate_half(q) * sin, in double, with `angle(position, i)` for
/// frequency i of the head dimension.
private func referenceRotary(_ x: Tensor, positions: [Int], angle: (Int, Int) -> Double) -> [Double] {
    let (heads, headDim) = (x.shape[1], x.shape[2])
    let half = headDim / 2
    let values = doubles(x)
    var result = values
    for (t, position) in positions.enumerated() {
        for head in 0..<heads {
            let base = (t * heads + head) * headDim
            for i in 0..<half {
                let (cosine, sine) = (cos(angle(position, i)), sin(angle(position, i)))
                let (first, second) = (values[base + i], values[base + i + half])
                result[base + i] = first * cosine - second * sine
                result[base + i + half] = second * cosine + first * sine
            }
        }
    }
    return result
}

@Suite struct RotaryTests {
    @Test func positionZeroIsTheIdentity() {
        let rotary = RotaryEmbedding(headDimension: 8, maxPositions: 4)
        let x = randomTensor([1, 3, 8], seed: 60)
        #expect(rotary.applied(to: x, positions: [0]).floats() == x.floats())
    }

    @Test func rotatesHalvesNotNeighbours() {
        // D = 2: one frequency of 1, so position p rotates (a, b) by p radians.
        let rotary = RotaryEmbedding(headDimension: 2, maxPositions: 3)
        let x = Tensor(shape: [1, 1, 2], [Float](arrayLiteral: 1, 0))
        expectClose(rotary.applied(to: x, positions: [2]), [cos(2.0), sin(2.0)], relative: 1e-6, absolute: 1e-7)
        // D = 4: element 0 pairs with element 2 (rotate_half), at frequency 1.
        let wide = RotaryEmbedding(headDimension: 4, maxPositions: 2, theta: 10_000)
        let y = Tensor(shape: [1, 1, 4], [Float](arrayLiteral: 1, 0, 0, 0))
        expectClose(wide.applied(to: y, positions: [1]), [cos(1.0), 0, sin(1.0), 0], relative: 1e-6, absolute: 1e-7)
    }

    @Test(arguments: [Float(10_000), 500_000])
    func matchesReference(theta: Float) {
        let rotary = RotaryEmbedding(headDimension: 64, maxPositions: 4096, theta: theta)
        let x = randomTensor([5, 3, 64], seed: 61)
        let positions = [0, 1, 17, 1000, 4095]
        // Angles rounded to f32 exactly as HF computes its f32 tables: tight agreement.
        let f32Angles = referenceRotary(x, positions: positions) { position, i in
            Double(Float(position) * (1 / powf(theta, Float(2 * i) / 64)))
        }
        expectClose(rotary.applied(to: x, positions: positions), f32Angles, relative: 1e-5, absolute: 1e-6)
        // Exact angles: position 4095 carries ~1e-4 rad of f32 rounding, in torch as here.
        let exactAngles = referenceRotary(x, positions: positions) { position, i in
            Double(position) / pow(Double(theta), Double(2 * i) / 64)
        }
        expectClose(rotary.applied(to: x, positions: positions), exactAngles, relative: 1e-5, absolute: 1e-3)
        rotary.apply(to: x, positions: positions)
        expectClose(x, f32Angles, relative: 1e-5, absolute: 1e-6)
    }

    @Test func positionOutsideTheTableIsRejected() async {
        await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            RotaryEmbedding(headDimension: 4, maxPositions: 8).apply(to: Tensor(zeros: [1, 1, 4]), positions: [8])
        } .map { result in
            #expect(String(decoding: result.standardErrorContent, as: UTF8.self)
                .contains("position 8 outside the table of 8 positions"))
        }
    }
}
