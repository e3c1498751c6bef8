import Foundation
import JanusCheckpoint
import JanusModels
import JanusTensor
import JanusTestSupport
import Testing

/// Golden data of the understanding path, read through fixtures.json so the tensor
/// names, shapes and tolerances come from the manifest rather than from the tests.
enum VisionGolden {
    /// A tensor reference of a case: `{"file", "tensor", "shape", "tolerance", …}`.
    struct Reference {
        let file: String
        let tensor: String
        let shape: [Int]
        let absolute: Double
        let relative: Double

        func load() throws -> Tensor {
            try VisionGolden.file(file).tensor(tensor)
        }
    }

    /// `tensors[key]` of the case `caseName`.
    static func reference(_ caseName: String, _ key: String) throws -> Reference {
        let golden = try Fixtures.goldenCase(named: caseName)
        let entry = try #require((golden["tensors"] as? [String: Any])?[key] as? [String: Any],
                                 "case \(caseName) has no tensor \(key)")
        let tolerance = entry["tolerance"] as? [String: Any] ?? [:]
        return Reference(file: try #require(entry["file"] as? String),
                         tensor: try #require(entry["tensor"] as? String),
                         shape: try #require(entry["shape"] as? [Int]),
                         absolute: (tolerance["atol"] as? Double) ?? 0,
                         relative: (tolerance["rtol"] as? Double) ?? 0)
    }

    /// The case's `input.pixel_values` stacked in order: `[n, 3, S, S]` f32.
    static func pixels(_ caseName: String) throws -> Tensor {
        let golden = try Fixtures.goldenCase(named: caseName)
        let entries = try #require((golden["input"] as? [String: Any])?["pixel_values"] as? [[String: Any]],
                                   "case \(caseName) has no input.pixel_values")
        let images = try entries.map { entry in
            try file(try #require(entry["file"] as? String)).tensor(try #require(entry["tensor"] as? String))
        }
        let first = try #require(images.first)
        var values: [Float] = []
        for image in images {
            #expect(image.shape == first.shape)
            values += image.floats()
        }
        return Tensor(shape: [images.count] + first.shape, values)
    }

    /// `fixtures/….safetensors`, opened once per test.
    static func file(_ relativePath: String) throws -> SafetensorsFile {
        try SafetensorsFile(path: Fixtures.path(relativePath))
    }

    /// The tiny Janus-Pro checkpoint, weights scoped at its root.
    static func checkpointWeights() throws -> Weights {
        Weights(try Checkpoint.open(directory: Fixtures.safetensorsModel))
    }

    static func configuration() throws -> JanusConfiguration {
        try JanusConfiguration.load(directory: Fixtures.safetensorsModel)
    }

    static func tower() throws -> SigLIPVisionTower {
        try SigLIPVisionTower(weights: checkpointWeights().scoped("vision_model.vision_tower"),
                              configuration: configuration().vision.params)
    }
}

extension VisionGolden.Reference {
    /// Compares `actual` with this reference at its own tolerance.
    func expectMatches(_ actual: Tensor, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let expected = try load()
        #expect(expected.shape == shape, "fixture \(tensor) is \(expected.shape), manifest says \(shape)")
        expectClose(actual: actual, expected: expected, atol: absolute, rtol: relative, "\(tensor)",
                    sourceLocation: sourceLocation)
    }
}
