import Foundation
import JanusTensor

/// Wall-clock timings of repeated runs of one piece of work.
struct Timing: Encodable {
    let name: String
    let runs: [Double]
    var median: Double { runs.sorted()[runs.count / 2] }
    var minimum: Double { runs.min() ?? 0 }

    enum CodingKeys: String, CodingKey { case name, runs = "runs_s", median = "median_s", minimum = "min_s" }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(runs, forKey: .runs)
        try c.encode(median, forKey: .median)
        try c.encode(minimum, forKey: .minimum)
    }

    /// Runs `body` `warmup` times unmeasured, then `repetitions` times measured.
    /// `between` runs after every timed repetition, outside the timing.
    static func measure(_ name: String, repetitions: Int, warmup: Int = 1, between: () -> Void = {},
                        _ body: () throws -> Void) rethrows -> Timing {
        for _ in 0..<warmup { try body() }
        var runs: [Double] = []
        for _ in 0..<repetitions {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            runs.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            between()
        }
        return Timing(name: name, runs: runs)
    }

    var line: String {
        "\(name.padding(toLength: 34, withPad: " ", startingAt: 0)) median \(Self.format(median))  min \(Self.format(minimum))  (\(runs.count) runs)"
    }

    static func format(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%8.2f ms", seconds * 1000) : String(format: "%8.3f s ", seconds)
    }
}

/// Peak resident set size of this process so far (`VmHWM`), in bytes; nil where
/// /proc is unavailable.
func peakResidentBytes() -> Int? { processStatusBytes("VmHWM:") }

/// Resident set size of this process now (`VmRSS`), in bytes; nil where /proc is unavailable.
func residentBytes() -> Int? { processStatusBytes("VmRSS:") }

/// A "Name:   123 kB" line of /proc/self/status, in bytes.
private func processStatusBytes(_ field: String) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix(field) {
        // "VmHWM:\t 123456 kB": the tab and spaces pad to a width, so a value of 10 GiB or
        // more has no space before its digits.
        let digits = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Int($0) }
        return digits.first.map { $0 * 1024 }
    }
    return nil
}

/// Hands the pages of freed heap memory back to the kernel (glibc's `malloc_trim`), so that
/// RSS counts live memory. Synthetic weights leave their temporary f32 copies behind as
/// free heap between the weights they built; a mapped checkpoint leaves nothing, and a
/// benchmark of the job should not count them. Looked up at run time, as Swift's Glibc
/// module does not declare it; a no-op elsewhere.
func returnFreedMemoryToKernel() {
    TensorMemory.releasePooledBuffers()
    typealias Trim = @convention(c) (Int) -> Int32
    guard let symbol = dlsym(nil, "malloc_trim") else { return }
    _ = unsafeBitCast(symbol, to: Trim.self)(0)
}

/// Resets the kernel's peak-RSS mark (Linux: `5` into /proc/self/clear_refs), so the
/// next `peakResidentBytes()` covers only what runs after this call. Free heap memory is
/// handed back first (glibc keeps freed chunks mapped, e.g. the synthetic bf16 weights
/// that `--weights int8` quantised and dropped), so the mark starts from live memory.
func resetPeakResident() {
    returnFreedMemoryToKernel()
    try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
}
