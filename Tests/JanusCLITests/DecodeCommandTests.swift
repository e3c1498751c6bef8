import Foundation
import JanusImage
import JanusTensor
import JanusTestSupport
import Testing

/// `decode --model --tokens` on the golden VQ codes: f32 gives the reference's pixels, and
/// `--compute bf16` (convolutions on bf16 pairs, with the residual blocks' norms, the
/// upsampling and `norm_out` applied as each convolution stages its input) stays close.
@Suite struct DecodeCommandTests {
    func decode(_ mode: [String]) throws -> [[UInt8]] {
        let scratch = try Fixtures.temporaryDirectory("janus-decode")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let codes = try GoldenTensors.load("vq_decoder.safetensors", "vq.square.codes")
        let flat = codes.integers().map(Int.init)
        let grids = (0..<codes.shape[0]).map { Array(flat[$0 * codes.shape[1]..<($0 + 1) * codes.shape[1]]) }
        let tokens = scratch.appendingPathComponent("tokens.json")
        try JSONEncoder().encode(grids).write(to: tokens)
        let out = scratch.appendingPathComponent("out")
        let result = try JanusCLI.run(["decode", "--model", Fixtures.safetensorsModel, "--tokens", tokens.path,
                                       "--out", out.path] + mode)
        try #require(result.status == 0, "\(mode): \(result.stderr)")
        return try grids.indices.map { try RGBImage(decoding: Data(contentsOf: out.appendingPathComponent("\($0).png"))).pixels }
    }

    @Test func bf16DecodingStaysCloseToTheReferencePixels() throws {
        let expected = try GoldenTensors.load("vq_decoder.safetensors", "vq.square.decoded_uint8")
        let reference = (0..<expected.shape[0]).map { expected[$0].floats().map { UInt8($0) } }
        let (f32, bf16) = (try decode(["--compute", "f32"]), try decode(["--compute", "bf16"]))
        for (image, pixels) in reference.enumerated() {
            let f32Differences = zip(f32[image], pixels).map { abs(Int($0) - Int($1)) }
            #expect(f32Differences.max() ?? 0 <= 1, "f32 image \(image)")
            let differences = zip(bf16[image], pixels).map { abs(Int($0) - Int($1)) }
            let mean = Double(differences.reduce(0, +)) / Double(differences.count)
            // bf16 rounds every activation a convolution reads (2⁻⁹ relative).
            #expect(differences.max() ?? 0 <= 12 && mean < 1.5, "bf16 image \(image): max \(differences.max() ?? 0), mean \(mean)")
            #expect(differences.contains { $0 > 0 }, "bf16 image \(image) must differ somewhere")
        }
    }
}
