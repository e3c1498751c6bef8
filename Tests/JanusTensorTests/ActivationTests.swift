import Foundation
import JanusTensor
import Testing

@Suite struct ActivationTests {
    static let input = randomTensor([4, 250], seed: 20, in: -6...6)

    private func expectMatches(_ activation: (Tensor) -> Tensor, _ reference: (Double) -> Double,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(activation(Self.input), doubles(Self.input).map(reference), sourceLocation: sourceLocation)
    }

    @Test func siluMatchesReference() { expectMatches(silu) { $0 / (1 + exp(-$0)) } }

    /// Large enough to split across threads, with the SIMD body, its masked tail and the
    /// ends of exp's range (overflow to inf, underflow to 0, NaN). Below -88.7, e^-x overflows
    /// and silu is -0, as with libm's expf; hence the absolute slack.
    @Test func siluStaysWithinAFewUlpEverywhere() {
        var values = (0..<200_003).map { Float(-120 + 240 * Double($0) / 200_003) }
        values += [-Float.infinity, .infinity, -89, 89, -1e-30, 1e-30, 0]
        let x = Tensor(shape: [values.count], values)
        let result = silu(x).floats()
        for (value, actual) in zip(values, result) {
            let expected = Double(value) / (1 + exp(-Double(value)))
            if value == -.infinity { #expect(actual.isNaN || actual == 0); continue }
            if value == .infinity { #expect(actual == .infinity); continue }
            #expect(abs(Double(actual) - expected) <= 4 * Double(Float.ulpOfOne) * abs(expected) + 1e-30,
                    "silu(\(value)) = \(actual), expected \(expected)")
        }
        #expect(silu(Tensor(shape: [1], [Float.nan])).floats()[0].isNaN)
    }

    @Test func exactGeluMatchesReference() { expectMatches(gelu) { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) } }

    /// Over the threads, the SIMD body and its tail: within 1e-6 relative (a few ulp) where
    /// the result matters; in the negative tail e^(−x²/2) carries the f32 rounding of x²
    /// (about x² · 6e-8 relative).
    @Test func exactGeluStaysCloseEverywhere() {
        var values = (0..<200_003).map { Float(-30 + 60 * Double($0) / 200_003) }
        values += [.infinity, 1e30, -1e30, -1e-30, 1e-30, 0]
        let x = Tensor(shape: [values.count], values)
        for (value, actual) in zip(values, gelu(x).floats()) {
            let expected = Double(value) == .infinity ? .infinity
                : 0.5 * Double(value) * erfc(-Double(value) / 2.0.squareRoot())
            if value == .infinity { #expect(actual == .infinity); continue }
            #expect(abs(Double(actual) - expected) <= (1e-6 + 1e-7 * Double(value) * Double(value)) * abs(expected) + 1e-38,
                    "gelu(\(value)) = \(actual), expected \(expected)")
        }
        #expect(gelu(Tensor(shape: [1], [Float.nan])).floats()[0].isNaN)
    }

    @Test func tanhGeluMatchesReference() {
        expectMatches(geluTanh) { x in 0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x))) }
    }

    @Test func handComputedValues() {
        let x = Tensor(shape: [3], [Float](arrayLiteral: 1, 0, -1))
        expectClose(gelu(x), [0.8413447460685429, 0, -0.15865525393145707], relative: 1e-6, absolute: 0)
        expectClose(geluTanh(x), [0.8411919906082768, 0, -0.15880800939172324], relative: 1e-6, absolute: 0)
        expectClose(silu(x), [0.7310585786300049, 0, -0.2689414213699951], relative: 1e-6, absolute: 0)
    }

    @Test func swigluIsSiluOfGateTimesUp() {
        let gate = randomTensor([3, 40], seed: 21, in: -5...5), up = randomTensor([3, 40], seed: 22)
        let expected = zip(doubles(gate), doubles(up)).map { g, u in g / (1 + exp(-g)) * u }
        expectClose(swiglu(gate: gate, up: up), expected)
        swiglu(gate: gate, up: up, into: gate)
        expectClose(gate, expected)
    }

    @Test func inPlaceMatchesFreshOutput() {
        for activation in [silu(_:into:), gelu(_:into:), geluTanh(_:into:)] as [(Tensor, Tensor) -> Void] {
            let x = Self.input.copy()
            let fresh = Tensor(zeros: x.shape)
            activation(x, fresh)
            activation(x, x)
            #expect(x.floats() == fresh.floats())
        }
    }
}
