import Foundation
import JanusModels
import JanusTensor
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Real VQ-16 shapes (the published Janus-Pro config) with random bf16 weights: decodes
/// one image and prints the time and the process's peak resident memory. Opt-in, as it
/// needs seconds (384 px) to minutes (1024 px) of CPU:
/// `JANUS_VQ_BENCH=24 swift test --filter VQBenchmark` (the value is the grid side).
@Suite struct VQBenchmarkTests {
    static let gridSide = ProcessInfo.processInfo.environment["JANUS_VQ_BENCH"].flatMap { Int($0) }

    @Test(.enabled(if: gridSide != nil))
    func decodesARealSizedGrid() throws {
        let side = try #require(Self.gridSide)
        let config = try JSONDecoder().decode(VQConfiguration.self, from: Data("{}".utf8))  // real defaults
        let start = Date()
        let decoder = try VQImageDecoder(weights: Weights(RandomWeights(), prefix: "gen_vision_model"),
                                         configuration: config)
        let loaded = Date()
        let codes = (0..<side * side).map { ($0 * 7919) % config.codebookSize }
        let image = try decoder.decode(codes: codes, gridHeight: side, gridWidth: side)
        let decoded = Date()
        #expect(image.shape == [1, 3, side * 16, side * 16])
        let finite = image.floats().allSatisfy { $0.isFinite }
        #expect(finite)
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        print("""
            VQ-16 decode \(side)×\(side) → \(side * 16) px: load \(String(format: "%.2f", loaded.timeIntervalSince(start))) s, \
            decode \(String(format: "%.2f", decoded.timeIntervalSince(loaded))) s, \
            peak RSS \(usage.ru_maxrss / 1024) MiB
            """)
    }
}

/// Any requested weight, at the requested shape: uniform in ±1/√fan-in (so activations
/// stay O(1) through the residual stack), stored as bf16 like the real checkpoints.
private struct RandomWeights: WeightProvider {
    func contains(_ name: String) -> Bool { true }

    func tensor(_ name: String, shape: [Int]) throws -> Tensor {
        let count = shape.reduce(1, *)
        let fanIn = shape.count > 1 ? shape.dropFirst().reduce(1, *) : 1
        let bound = name.hasSuffix("norm.weight") || name.contains("norm1.weight") || name.contains("norm2.weight")
            || name.hasSuffix("norm_out.weight") ? 0 : 1 / Float(fanIn).squareRoot()
        var state = UInt64(truncatingIfNeeded: name.hashValue) | 1
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let unit = Float(state >> 40) / Float(1 << 24)  // [0, 1)
            values[index] = (unit * 2 - 1) * bound
        }
        if bound == 0 { values = [Float](repeating: 1, count: count) }  // GroupNorm scale 1
        return Tensor(shape: shape, values).converted(to: .bf16)
    }
}
