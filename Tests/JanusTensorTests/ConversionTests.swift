import JanusTestSupport
import JanusTensor
import Testing

/// The f32 <-> bf16 / f16 conversions in CJanusKernels, through `Tensor.converted(to:)`
/// and `Tensor.floats()`.
@Suite struct ConversionTests {
    // MARK: Helpers

    private func tensor(bits: [UInt16], dtype: DType) -> Tensor {
        let result = Tensor(zeros: [bits.count], dtype: dtype)
        bits.withUnsafeBytes { result.storage.baseAddress.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return result
    }

    private func halfBits(_ tensor: Tensor) -> [UInt16] {
        (0..<tensor.elementCount).map { tensor.rawBytes.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self) }
    }

    private func narrowed(_ floatBits: [UInt32], to dtype: DType) -> [UInt16] {
        halfBits(Tensor(shape: [floatBits.count], floatBits.map(Float.init(bitPattern:))).converted(to: dtype))
    }

    private static let allHalfPatterns = (0...UInt16.max).map { $0 }

    private func isBFloat16NaN(_ bits: UInt16) -> Bool { bits & 0x7f80 == 0x7f80 && bits & 0x007f != 0 }

    // MARK: bf16

    @Test func bfloat16WideningIsTheHighHalfOfTheFloatBits() {
        let widened = tensor(bits: Self.allHalfPatterns, dtype: .bf16).floats()
        for (bits, value) in zip(Self.allHalfPatterns, widened) {
            #expect(value.bitPattern == UInt32(bits) << 16, "bf16 0x\(String(bits, radix: 16))")
        }
    }

    @Test func bfloat16NarrowingRoundsToNearestEven() {
        let cases: [(UInt32, UInt16)] = [
            (0x3f80_0000, 0x3f80),  // 1.0
            (0x3f80_7fff, 0x3f80),  // just below the halfway point
            (0x3f80_8000, 0x3f80),  // tie, 0x3f80 is even: down
            (0x3f80_8001, 0x3f81),  // just above the halfway point
            (0x3f81_8000, 0x3f82),  // tie, 0x3f81 is odd: up
            (0xbf81_8000, 0xbf82),  // negative tie
            (0x8000_0000, 0x8000),  // -0
            (0x0000_0001, 0x0000),  // tiny subnormal rounds to 0
            (0x0000_8000, 0x0000),  // subnormal tie to even
            (0x0001_8000, 0x0002),  // subnormal tie up to even
            (0x7f80_0000, 0x7f80),  // +inf
            (0xff80_0000, 0xff80),  // -inf
            (0x7f7f_ffff, 0x7f80),  // largest float rounds up to inf, as torch
        ]
        let narrowed = narrowed(cases.map(\.0), to: .bf16)
        for ((input, expected), result) in zip(cases, narrowed) {
            #expect(result == expected, "f32 0x\(String(input, radix: 16))")
        }
    }

    @Test func bfloat16NarrowingKeepsNaNAndItsSign() {
        let nans: [UInt32] = [0x7fc0_0000, 0x7f80_0001, 0xffc0_0000, 0x7fff_ffff]
        let results = narrowed(nans, to: .bf16)
        for (input, result) in zip(nans, results) {
            #expect(isBFloat16NaN(result), "f32 0x\(String(input, radix: 16)) -> 0x\(String(result, radix: 16))")
            #expect(result & 0x8000 == UInt16(input >> 16) & 0x8000)
        }
    }

    @Test func everyBFloat16SurvivesARoundTrip() {
        let numbers = Self.allHalfPatterns.filter { !isBFloat16NaN($0) }
        let roundTripped = halfBits(tensor(bits: numbers, dtype: .bf16).converted(to: .f32).converted(to: .bf16))
        #expect(roundTripped == numbers)
    }

    // MARK: f16 (Swift's Float16 is the oracle: its conversions are correctly rounded)

    @Test func halfWideningMatchesFloat16Exhaustively() {
        let widened = tensor(bits: Self.allHalfPatterns, dtype: .f16).floats()
        for (bits, value) in zip(Self.allHalfPatterns, widened) {
            let expected = Float(Float16(bitPattern: bits))
            if expected.isNaN {
                #expect(value.isNaN, "f16 0x\(String(bits, radix: 16))")
            } else {
                #expect(value.bitPattern == expected.bitPattern, "f16 0x\(String(bits, radix: 16))")
            }
        }
    }

    @Test func halfNarrowingEdgeCases() {
        let cases: [(Float, UInt16)] = [
            (65504, 0x7bff),                          // largest finite half
            (65519.996, 0x7bff),                      // below the overflow threshold
            (65520, 0x7c00),                          // halfway past the largest: overflows to inf
            (1e10, 0x7c00), (-1e10, 0xfc00),
            (.infinity, 0x7c00), (-.infinity, 0xfc00),
            (0x1p-24, 0x0001),                        // smallest subnormal
            (0x1p-25, 0x0000),                        // tie between 0 and the smallest: even (0)
            (0x1.8p-25, 0x0001),                      // above that tie
            (0x1.8p-24, 0x0002),                      // tie between 1 and 2 ulps: even (2)
            (0x1p-14 - 0x1p-25, 0x0400),              // largest-subnormal tie rounds into the normals
            (0x1p-14, 0x0400),                        // smallest normal
            (1 + 0x1p-11, 0x3c00),                    // tie, even mantissa: down
            (1 + 0x1.8p-10, 0x3c02),                  // tie, odd mantissa: up
            (-0.0, 0x8000),
        ]
        let results = narrowed(cases.map(\.0.bitPattern), to: .f16)
        for ((input, expected), result) in zip(cases, results) {
            #expect(result == expected, "\(input) -> 0x\(String(result, radix: 16))")
        }
        let nans = narrowed([Float.nan.bitPattern, (-Float.nan).bitPattern, 0x7f80_0001], to: .f16)
        #expect(nans == [0x7e00, 0xfe00, 0x7e00])
    }

    @Test func halfNarrowingMatchesFloat16OnRandomBitPatterns() {
        var generator = SeededGenerator(seed: 16)
        // Exponents around the half range (subnormals, normals, overflow) and anywhere.
        let patterns: [UInt32] = (0..<200_000).map { i in
            let bits = UInt32(truncatingIfNeeded: generator.next())
            guard i % 2 == 0 else { return bits }
            let exponent = UInt32.random(in: 96...144, using: &generator)
            return (bits & 0x807f_ffff) | (exponent << 23)
        }
        let results = narrowed(patterns, to: .f16)
        var mismatches = 0
        for (input, result) in zip(patterns, results) {
            let value = Float(bitPattern: input)
            let expected = Float16(value).bitPattern
            if value.isNaN ? (result & 0x7c00 != 0x7c00 || result & 0x3ff == 0) : result != expected {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    @Test func conversionsReadUnalignedBytes() {
        let values: [Float] = [1, -2.5, 3.140625, 0x1p-24]
        for dtype in [DType.bf16, .f16, .f32] {
            let unaligned = mappedAtOddOffset(Tensor(shape: [4], values).converted(to: dtype))
            #expect(unaligned.floats() == values, "\(dtype)")
            #expect(halfOrFloatBits(unaligned.converted(to: .f32).converted(to: dtype)) == halfOrFloatBits(unaligned))
        }
    }

    /// `assign(converting:)` writes into rows of an existing tensor the same bits that
    /// `converted(to:)` makes, and leaves the other rows alone.
    @Test func assignConvertingRoundsLikeConvertedInPlace() {
        let source = randomTensor([2, 5], seed: 90, in: -100...100)
        for dtype in [DType.bf16, .f16, .f32] {
            let destination = Tensor(zeros: [4, 5], dtype: dtype)
            destination.rows(1..<3).assign(converting: source)
            #expect(halfOrFloatBits(destination.rows(1..<3)) == halfOrFloatBits(source.converted(to: dtype)), "\(dtype)")
            #expect(destination.rows(0..<1).floats().allSatisfy { $0 == 0 }, "\(dtype)")
            #expect(destination.rows(3..<4).floats().allSatisfy { $0 == 0 }, "\(dtype)")
        }
    }

    private func halfOrFloatBits(_ tensor: Tensor) -> [UInt8] { Array(tensor.rawBytes) }
}
