import CJanusKernels
@testable import JanusTensor
import Testing

/// The persistent pool behind the parallel kernels: every index runs exactly once,
/// whatever the thread count, and concurrent callers take turns without mixing up
/// their loops.
@Suite struct ThreadPoolTests {
    /// Counts visits per index; each index belongs to one chunk or piece, so plain
    /// increments never race.
    final class Visits: @unchecked Sendable {
        var counts: [Int]
        init(_ count: Int) { counts = [Int](repeating: 0, count: count) }
    }

    static func visitEveryIndex(count: Int, threads: Int) -> [Int] {
        let visits = Visits(count)
        withExtendedLifetime(visits) {
            janus_parallel_for(count, threads, { context, begin, end in
                let visits = Unmanaged<Visits>.fromOpaque(context!).takeUnretainedValue()
                for index in begin..<end { visits.counts[index] += 1 }
            }, Unmanaged.passUnretained(visits).toOpaque())
        }
        return visits.counts
    }

    @Test(arguments: [1, 2, 3, 7, 1000], [1, 2, 4])
    func everyIndexRunsOnce(count: Int, threads: Int) {
        #expect(Self.visitEveryIndex(count: count, threads: threads) == [Int](repeating: 1, count: count))
    }

    @Test func concurrentCallersGetTheirOwnResults() async {
        // Many tasks share the one pool; each result must equal the single-threaded one.
        let x = randomTensor([2, 300], seed: 110)
        let weight = randomWeight([517, 300], dtype: .bf16, placement: .unalignedMapping, seed: 111)
        let expected = linear(x, weight: weight).floats()
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (0..<20).allSatisfy { _ in
                        let output = Tensor(zeros: [2, 517])
                        linear(x, weight: weight, bias: nil, into: output, compute: .f32,
                               path: .streaming(threads: 2, portable: false))
                        return output.floats() == expected
                    }
                }
            }
            for await matches in group { #expect(matches) }
        }
    }
}
