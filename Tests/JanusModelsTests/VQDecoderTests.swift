import Foundation
import JanusCheckpoint
import JanusModels
import JanusTensor
import JanusTestSupport
import Testing

/// The VQ-16 decoder against the golden reference (fixtures.json cases `vq.square`,
/// `vq.rect`, `generation.cfg`), plus its input checks and the uint8 post-processing.
@Suite struct VQDecoderTests {
    struct GoldenDecode: Sendable, CustomTestStringConvertible {
        let name: String
        /// The case's tensor holding the `[B, h·w]` codes.
        let codesKey: String
        /// How many `debug_*` stage tensors the case carries (guards against silently skipping them).
        let debugTensors: Int
        var testDescription: String { name }
    }

    static let goldenDecodes = [
        GoldenDecode(name: "vq.square", codesKey: "codes", debugTensors: 7),
        GoldenDecode(name: "vq.rect", codesKey: "codes", debugTensors: 1),
        GoldenDecode(name: "generation.cfg", codesKey: "generated_tokens", debugTensors: 0),
    ]

    @Test(arguments: goldenDecodes)
    func matchesTheReference(_ golden: GoldenDecode) throws {
        let fixture = try GoldenFixture(caseNamed: golden.name)
        let decoder = try loadTinyDecoder()
        let codes = try fixture.codeRows(golden.codesKey)
        let (gridHeight, gridWidth) = try fixture.grid()

        // Intermediate activations, one image at a time (the debug tensors cover image 0,
        // the quantised vectors every image).
        let debugKeys = fixture.tensorKeys.filter { $0.hasPrefix("debug_") }
        #expect(debugKeys.count == golden.debugTensors)
        var stagesByImage: [[VQStage: Tensor]] = []
        if !debugKeys.isEmpty {
            for imageCodes in codes {
                var stages: [VQStage: Tensor] = [:]
                _ = try decoder.decode(codes: imageCodes, gridHeight: gridHeight, gridWidth: gridWidth) {
                    stages[$0] = $1
                }
                stagesByImage.append(stages)
            }
        }
        for key in debugKeys {
            guard let stage = Self.stage(debugKey: key) else {
                Issue.record("\(golden.name): unknown debug tensor \(key)")
                continue
            }
            let expected = try fixture.tensor(key)
            let (atol, rtol) = try fixture.tolerance(key)
            for image in 0..<expected.shape[0] {
                guard let actual = stagesByImage[image][stage] else {
                    Issue.record("\(golden.name): stage \(stage) was never reported")
                    continue
                }
                expectClose(actual: actual, expected: expected.rows(image..<image + 1), atol: atol, rtol: rtol,
                            "\(golden.name) \(key) image \(image)")
            }
        }

        // The batch API, f32 output.
        let decoded = try decoder.decode(codes: codes, gridHeight: gridHeight, gridWidth: gridWidth)
        let (atol, rtol) = try fixture.tolerance("decoded_f32")
        expectClose(actual: decoded, expected: try fixture.tensor("decoded_f32"), atol: atol, rtol: rtol,
                    "\(golden.name) decoded_f32")

        // The batch API, uint8 HWC pixels.
        let pixels = try decoder.decodeToRGB(codes: codes, gridHeight: gridHeight, gridWidth: gridWidth)
        let expectedPixels = try fixture.tensor("decoded_uint8")
        let (pixelAtol, pixelRtol) = try fixture.tolerance("decoded_uint8")
        try #require(pixels.count == expectedPixels.shape[0])
        for (image, bytes) in pixels.enumerated() {
            let reference = expectedPixels[image]
            try #require(bytes.count == reference.elementCount)
            expectClose(actual: Tensor(shape: reference.shape, bytes), expected: reference,
                        atol: pixelAtol, rtol: pixelRtol, "\(golden.name) decoded_uint8 image \(image)")
        }
    }

    /// The post-processing alone, on the reference's own f32 output: bit-exact.
    @Test(arguments: goldenDecodes)
    func rgbBytesReproducesTheReferencePostProcessing(_ golden: GoldenDecode) throws {
        let fixture = try GoldenFixture(caseNamed: golden.name)
        let decoded = try fixture.tensor("decoded_f32")
        let expected = try fixture.tensor("decoded_uint8")
        let pixels = rgbBytes(from: decoded)
        try #require(pixels.count == expected.shape[0])
        for (image, bytes) in pixels.enumerated() {
            expectClose(actual: Tensor(shape: expected[image].shape, bytes), expected: expected[image],
                        atol: 0, rtol: 0, "\(golden.name) image \(image)")
        }
    }

    @Test func rgbBytesClipsTruncatesAndInterleaves() {
        // [1, 3, 1, 3]: three pixels, channel planes R, G, B.
        let values: [Float] = [-1, 0, 1,                // R
                               2, -3, .nan,             // G
                               0.999, -0.999, 0.5]      // B
        let pixels = rgbBytes(from: Tensor(shape: [1, 3, 1, 3], values))
        // (x + 1) / 2 * 255 truncated: 0 → 127.5 → 127, 0.999 → 254.87 → 254,
        // -0.999 → 0.1275 → 0, 0.5 → 191.25 → 191; NaN → 0.
        #expect(pixels == [[0, 255, 254,
                            127, 0, 0,
                            255, 0, 191]])
    }

    @Test func codebookRowsAreUnitLength() throws {
        let decoder = try loadTinyDecoder()
        let table = decoder.codebook.embedding
        #expect(table.shape == [512, 8])
        let values = table.floats()
        for row in 0..<table.shape[0] {
            let norm = (0..<8).reduce(Float(0)) { $0 + values[row * 8 + $1] * values[row * 8 + $1] }.squareRoot()
            #expect(abs(norm - 1) < 1e-5, "row \(row) has norm \(norm)")
        }
    }

    @Test func outputSizeFollowsTheGridAndBatchingChangesNothing() throws {
        let decoder = try loadTinyDecoder()
        #expect(decoder.downsample == 16)
        let single = try decoder.decode(codes: [7], gridHeight: 1, gridWidth: 1)
        #expect(single.shape == [1, 3, 16, 16])

        let codes = [[1, 2, 3, 4, 5, 6], [511, 0, 42, 42, 100, 7]]
        let batch = try decoder.decode(codes: codes, gridHeight: 2, gridWidth: 3)
        #expect(batch.shape == [2, 3, 32, 48])
        for (image, imageCodes) in codes.enumerated() {
            let alone = try decoder.decode(codes: imageCodes, gridHeight: 2, gridWidth: 3)
            expectClose(actual: batch.rows(image..<image + 1), expected: alone, atol: 0, rtol: 0, "image \(image)")
        }
        let empty = try decoder.decode(codes: [], gridHeight: 2, gridWidth: 3)
        #expect(empty.shape == [0, 3, 32, 48])
    }

    // MARK: Input errors (codes come from clients)

    @Test func codesOutsideTheCodebookAreRejected() throws {
        let decoder = try loadTinyDecoder()
        var codes = Array(repeating: 0, count: 16)
        codes[5] = 512
        #expect(throws: VQDecodeError.codeOutOfRange(image: 0, position: 5, code: 512, codebookSize: 512)) {
            try decoder.decode(codes: codes, gridHeight: 4, gridWidth: 4)
        }
        codes[5] = 0
        codes[15] = -1
        #expect(throws: VQDecodeError.codeOutOfRange(image: 1, position: 15, code: -1, codebookSize: 512)) {
            try decoder.decode(codes: [Array(repeating: 3, count: 16), codes], gridHeight: 4, gridWidth: 4)
        }
        #expect(throws: VQDecodeError.codeOutOfRange(image: 0, position: 15, code: -1, codebookSize: 512)) {
            try decoder.decodeToRGB(codes: [codes], gridHeight: 4, gridWidth: 4)
        }
        #expect(throws: VQDecodeError.codeOutOfRange(image: 0, position: 0, code: Int.max, codebookSize: 512)) {
            try decoder.decode(codes: [Int.max], gridHeight: 1, gridWidth: 1)
        }
    }

    @Test func codeCountMustFillTheGrid() throws {
        let decoder = try loadTinyDecoder()
        #expect(throws: VQDecodeError.wrongCodeCount(image: 0, count: 15, gridHeight: 4, gridWidth: 4)) {
            try decoder.decode(codes: Array(repeating: 1, count: 15), gridHeight: 4, gridWidth: 4)
        }
        #expect(throws: VQDecodeError.wrongCodeCount(image: 1, count: 17, gridHeight: 4, gridWidth: 4)) {
            try decoder.decode(codes: [Array(repeating: 1, count: 16), Array(repeating: 1, count: 17)],
                               gridHeight: 4, gridWidth: 4)
        }
        #expect(throws: VQDecodeError.invalidGrid(height: 0, width: 4)) {
            try decoder.decode(codes: [], gridHeight: 0, gridWidth: 4)
        }
        #expect(throws: VQDecodeError.invalidGrid(height: -2, width: -8)) {
            try decoder.decode(codes: [[1]], gridHeight: -2, gridWidth: -8)
        }
        #expect(throws: VQDecodeError.invalidGrid(height: Int.max, width: 2)) {
            try decoder.decode(codes: [1, 2], gridHeight: Int.max, gridWidth: 2)
        }
        let message = VQDecodeError.wrongCodeCount(image: 0, count: 15, gridHeight: 4, gridWidth: 4).description
        #expect(message.contains("15") && message.contains("4×4"))
    }

    // MARK: Loading

    @Test func missingWeightsAreNamed() throws {
        let config = try JanusConfiguration.load(directory: Fixtures.safetensorsModel).genVision.params
        let error = try #require(throws: CheckpointError.self) {
            try VQImageDecoder(weights: Weights(InMemoryWeights(), prefix: "gen_vision_model"), configuration: config)
        }
        #expect(error.key == "gen_vision_model.quantize.embedding.weight")
    }

    @Test func widthsMustSuitTheGroupNorm() throws {
        let config = try JSONDecoder().decode(VQConfiguration.self, from: Data(#"{"ch": 16}"#.utf8))
        #expect(throws: ConfigurationError.self) {
            try VQDecoder(Weights(InMemoryWeights()), configuration: config)
        }
    }

    // MARK: Helpers

    static func stage(debugKey key: String) -> VQStage? {
        switch key {
        case "debug_quant": return .quant
        case "debug_post_quant_conv": return .postQuantConv
        case "debug_conv_in": return .convIn
        case "debug_mid": return .mid
        default:
            guard key.hasPrefix("debug_level"), let index = Int(key.dropFirst("debug_level".count)) else { return nil }
            return .level(index)
        }
    }
}

func loadTinyDecoder() throws -> VQImageDecoder {
    let checkpoint = try Checkpoint.open(directory: Fixtures.safetensorsModel)
    let config = try JanusConfiguration.load(directory: Fixtures.safetensorsModel)
    return try VQImageDecoder(weights: Weights(checkpoint, prefix: "gen_vision_model"),
                              configuration: config.genVision.params)
}

/// One golden case of fixtures.json with its tensors and tolerances.
struct GoldenFixture {
    let name: String
    let spec: [String: Any]
    let tensors: [String: [String: Any]]

    init(caseNamed name: String) throws {
        self.name = name
        spec = try Fixtures.goldenCase(named: name)
        tensors = spec["tensors"] as? [String: [String: Any]] ?? [:]
    }

    var tensorKeys: [String] { tensors.keys.sorted() }

    func tensor(_ key: String) throws -> Tensor {
        let entry = try #require(tensors[key], "\(name) has no tensor \(key)")
        let file = try #require(entry["file"] as? String)
        let tensorName = try #require(entry["tensor"] as? String)
        return try SafetensorsFile(path: Fixtures.path(file)).tensor(tensorName)
    }

    func tolerance(_ key: String) throws -> (atol: Double, rtol: Double) {
        let entry = try #require(tensors[key]?["tolerance"] as? [String: Any], "\(name).\(key) has no tolerance")
        return (try #require(entry["atol"] as? Double), try #require(entry["rtol"] as? Double))
    }

    /// `[B, h·w]` integer codes as one array per image.
    func codeRows(_ key: String) throws -> [[Int]] {
        let codes = try tensor(key)
        try #require(codes.rank == 2)
        let flat = codes.integers().map(Int.init)
        let width = codes.shape[1]
        return (0..<codes.shape[0]).map { Array(flat[$0 * width..<($0 + 1) * width]) }
    }

    /// The token grid: `grid_hw`, or `img_size / patch_size` square.
    func grid() throws -> (height: Int, width: Int) {
        if let grid = spec["grid_hw"] as? [Int], grid.count == 2 { return (grid[0], grid[1]) }
        let size = try #require(spec["img_size"] as? Int), patch = try #require(spec["patch_size"] as? Int)
        return (size / patch, size / patch)
    }
}
