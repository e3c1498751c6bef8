import Foundation
import JanusTestSupport
import JanusTensor
import Testing


func randomFloats(_ count: Int, seed: UInt64, in range: ClosedRange<Float> = -1...1) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Float.random(in: range, using: &generator) }
}

/// A random f32 activation tensor.
func randomTensor(_ shape: [Int], seed: UInt64, in range: ClosedRange<Float> = -1...1) -> Tensor {
    Tensor(shape: shape, randomFloats(shape.reduce(1, *), seed: seed, in: range))
}

/// Where a test weight lives: ordinary aligned memory, or a read-only file mapping at an
/// odd byte offset (what a checkpoint tensor can look like).
enum WeightPlacement: CaseIterable, Sendable, CustomTestStringConvertible {
    case aligned, unalignedMapping
    var testDescription: String { self == .aligned ? "aligned" : "unaligned mmap" }
}

/// `tensor` stored as `placement` says.
func placed(_ tensor: Tensor, _ placement: WeightPlacement) -> Tensor {
    switch placement {
    case .aligned: return tensor
    case .unalignedMapping: return mappedAtOddOffset(tensor)
    }
}

/// A random weight in `dtype`, stored per `placement`. Tests compute their references
/// from `weight.floats()`, the exact values the kernel sees after rounding to `dtype`.
func randomWeight(_ shape: [Int], dtype: DType, placement: WeightPlacement = .aligned, seed: UInt64,
                  in range: ClosedRange<Float> = -1...1) -> Tensor {
    placed(randomTensor(shape, seed: seed, in: range).converted(to: dtype), placement)
}

/// A read-only copy of `tensor` mapped from a temporary file, 3 bytes past a page start
/// so no float is naturally aligned. The file is removed at once; the mapping keeps the bytes.
func mappedAtOddOffset(_ tensor: Tensor) -> Tensor {
    let offset = 3
    var bytes = Data(count: offset)
    bytes.append(Data(tensor.rawBytes))
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("janus-tensor-test-\(UUID().uuidString).bin")
    do {
        try bytes.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let file = try MappedFile(path: url.path)
        let storage = TensorStorage(mapped: file, offset: offset, byteCount: tensor.byteCount)
        return Tensor(storage: storage, dtype: tensor.dtype, shape: tensor.shape)
    } catch {
        fatalError("cannot build the mapped test tensor: \(error)")
    }
}

/// `tensor`'s values widened to Double, for the reference implementations.
func doubles(_ tensor: Tensor) -> [Double] { tensor.floats().map(Double.init) }

/// Checks `|actual - expected| <= absolute + relative * |expected|` element by element and
/// reports the worst offender (NaNs must match NaNs).
func expectClose(_ actual: [Float], _ expected: [Double], relative: Double = 1e-5, absolute: Double = 1e-6,
                 _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("\(comment.map { "\($0): " } ?? "")\(actual.count) values, expected \(expected.count)",
                     sourceLocation: sourceLocation)
        return
    }
    var failures = 0
    var worst: (index: Int, excess: Double)?
    for (index, (value, reference)) in zip(actual, expected).enumerated() {
        if reference.isNaN || value.isNaN {
            if reference.isNaN != value.isNaN { failures += 1; worst = worst ?? (index, .infinity) }
            continue
        }
        if reference.isInfinite || value.isInfinite {
            if Double(value) != reference { failures += 1; worst = worst ?? (index, .infinity) }
            continue
        }
        let excess = abs(Double(value) - reference) - (absolute + relative * abs(reference))
        if excess > 0 {
            failures += 1
            if worst == nil || excess > worst!.excess { worst = (index, excess) }
        }
    }
    if let worst {
        Issue.record("""
            \(comment.map { "\($0): " } ?? "")\(failures) of \(actual.count) values out of tolerance; \
            worst at \(worst.index): \(actual[worst.index]) vs \(expected[worst.index])
            """, sourceLocation: sourceLocation)
    }
}

func expectClose(_ actual: Tensor, _ expected: [Double], relative: Double = 1e-5, absolute: Double = 1e-6,
                 _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
    expectClose(actual.floats(), expected, relative: relative, absolute: absolute, comment,
                sourceLocation: sourceLocation)
}
