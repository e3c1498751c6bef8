import ArgumentParser
import JanusTensor

extension ComputeMode: ExpressibleByArgument {}

/// `--threads` and `--compute`, shared by the bench commands.
struct BenchComputeOptions: ParsableArguments {
    @Option(help: "Threads for the kernels and OpenBLAS (default: JANUS_THREADS, else every CPU).")
    var threads: Int?

    @Option(help: "Linear-layer compute: f32 (exact products, the parity mode) or bf16 (bf16 activations, f32 sums; vdpbf16ps where the CPU has AVX512_BF16).")
    var compute: ComputeMode = .f32

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be ≥ 1") }
    }

    /// Makes both settings process-wide, before anything is measured.
    func apply() {
        if let threads { ComputeThreads.count = threads }
        ComputeMode.processDefault = compute
    }

    /// "2 threads, f32 compute", for the reports.
    var summary: String { "\(ComputeThreads.count) threads, \(ComputeMode.processDefault.rawValue) compute" }
}
