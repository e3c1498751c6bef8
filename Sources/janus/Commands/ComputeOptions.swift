import ArgumentParser
import Foundation
import JanusModels
import JanusTensor

extension ComputeMode: ExpressibleByArgument {}
extension LinearWeightFormat: ExpressibleByArgument {}
extension KVCacheFormat: ExpressibleByArgument {}

/// `--threads`, `--compute`, `--weights` and `--kv-cache`, shared by the commands that run
/// the model.
struct ComputeOptions: ParsableArguments {
    @Option(help: "Threads for the kernels and OpenBLAS (default: JANUS_THREADS, else every CPU).")
    var threads: Int?

    @Option(help: """
        Linear-layer compute: f32 (exact products, the parity mode) or bf16 (bf16 activations, f32 sums; \
        vdpbf16ps where the CPU has AVX512_BF16; KV cache in bf16; with int8 weights, activations in two int8 parts on \
        vpdpbusd where it has AVX512_VNNI). Default: JANUS_COMPUTE, else f32.
        """)
    var compute: ComputeMode?

    @Option(help: """
        Language-model linear weights: stored (as in the checkpoint) or int8 (symmetric int8 per block \
        of 32, quantised at load; the stored weights are then released). Default: JANUS_WEIGHTS, else stored.
        """)
    var weights: LinearWeightFormat?

    @Option(name: .customLong("kv-cache"), help: """
        KV cache elements: f32, bf16, or int8 (symmetric int8 per block of 32, or 16 for narrow heads, with f32 \
        scales: 56% of bf16's bytes; decode reads it as the values it stands for). Default: JANUS_KV_CACHE, else bf16 under \
        --compute bf16 and f32 otherwise.
        """)
    var kvCache: KVCacheFormat?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be ≥ 1") }
        _ = try Self.environment("JANUS_COMPUTE", as: ComputeMode.self)
        _ = try Self.environment("JANUS_WEIGHTS", as: LinearWeightFormat.self)
        _ = try Self.environment("JANUS_KV_CACHE", as: KVCacheFormat.self)
    }

    /// A setting from the environment, so processes started by `cluster up` or systemd
    /// (which pass no `--compute` / `--weights`) can still be switched.
    static func environment<Setting: RawRepresentable & CaseIterable>(_ name: String, as type: Setting.Type) throws -> Setting?
    where Setting.RawValue == String {
        guard let text = ProcessInfo.processInfo.environment[name], !text.isEmpty else { return nil }
        guard let value = Setting(rawValue: text) else {
            throw ValidationError("\(name)=\(text): expected one of \(Setting.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// Makes the settings process-wide, before the model runs.
    func apply() {
        if let threads { ComputeThreads.count = threads }
        ComputeMode.processDefault = compute ?? (try? Self.environment("JANUS_COMPUTE", as: ComputeMode.self)) ?? .f32
        LinearWeightFormat.languageModelDefault = weights
            ?? (try? Self.environment("JANUS_WEIGHTS", as: LinearWeightFormat.self)) ?? .stored
        KVCacheFormat.processChoice = kvCache ?? (try? Self.environment("JANUS_KV_CACHE", as: KVCacheFormat.self))
        if TransparentHugePages.mode == "never" {
            let message = "warning: transparent huge pages are off (\(TransparentHugePages.settingPath) is never): "
                + "weights will stream at about half the memory bandwidth; madvise (or always) turns them on\n"
            FileHandle.standardError.write(Data(message.utf8))
        }
    }

    /// "2 threads, f32 compute, stored weights, f32 KV cache", for the reports.
    var summary: String {
        "\(ComputeThreads.count) threads, \(ComputeMode.processDefault.rawValue) compute, "
            + "\(LinearWeightFormat.languageModelDefault.rawValue) weights, \(KVCacheFormat.processDefault.rawValue) KV cache"
    }
}
