import Foundation
import JanusCheckpoint
import JanusTensor
import JanusTestSupport
import Testing

/// Layout detection, sharded indexes and the errors of `Checkpoint`.
@Suite("Checkpoint directory")
struct CheckpointTests {
    static let safetensorsFile = Fixtures.safetensorsModel + "/model.safetensors"
    static let binFile = Fixtures.binModel + "/pytorch_model.bin"
    static let shardNames = ["pytorch_model-00001-of-00002.bin", "pytorch_model-00002-of-00002.bin"]
    static let binIndex = "pytorch_model.bin.index.json"

    /// Links `files` (name in the directory → existing path) into a scratch directory.
    static func withDirectory(linking files: [String: String], _ body: (URL) throws -> Void) throws {
        try withScratchDirectory { directory in
            for (name, target) in files {
                try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent(name).path,
                                                           withDestinationPath: target)
            }
            try body(directory)
        }
    }

    static func shardedBinFiles(omitting omitted: String? = nil) -> [String: String] {
        var files = [binIndex: Fixtures.shardedBinModel + "/" + binIndex]
        for shard in shardNames where shard != omitted { files[shard] = Fixtures.shardedBinModel + "/" + shard }
        return files
    }

    static func indexJSON(_ weightMap: [String: String]) throws -> [UInt8] {
        let object: [String: Any] = ["metadata": ["total_size": 0], "weight_map": weightMap]
        return [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    @Test("layout priority: model.safetensors, its index, pytorch_model.bin, its index")
    func priority() throws {
        let everything = Self.shardedBinFiles().merging([
            "model.safetensors": Self.safetensorsFile, "pytorch_model.bin": Self.binFile,
        ]) { first, _ in first }
        let binAndSharded = Self.shardedBinFiles().merging(["pytorch_model.bin": Self.binFile]) { first, _ in first }
        for (files, expected) in [(everything, CheckpointFormat.safetensors), (binAndSharded, .torchBin),
                                  (Self.shardedBinFiles(), .torchBinSharded)] {
            try Self.withDirectory(linking: files) { directory in
                let format = try Checkpoint.open(directory: directory.path).format
                #expect(format == expected)
            }
        }
        #expect(CheckpointFormat.allCases.map(\.markerFile) == ["model.safetensors", "model.safetensors.index.json",
                                                                "pytorch_model.bin", "pytorch_model.bin.index.json",
                                                                "diffusion_pytorch_model.safetensors"])
        #expect(CheckpointFormat.allCases.map(\.rawValue) == ["safetensors", "safetensors-sharded", "pytorch-bin",
                                                              "pytorch-bin-sharded", "diffusers-safetensors"])
    }

    @Test("a directory without weights lists what was looked for")
    func noWeights() throws {
        try Self.withDirectory(linking: ["config.json": Fixtures.safetensorsModel + "/config.json"]) { directory in
            expectCheckpointError(mentioning: [directory.path, "model.safetensors", "model.safetensors.index.json",
                                               "pytorch_model.bin", "pytorch_model.bin.index.json"]) {
                _ = try Checkpoint.open(directory: directory.path)
            }
        }
        let absent = Fixtures.path("models/no-such-model")
        expectCheckpointError(mentioning: [absent, "not a directory"]) { _ = try Checkpoint.open(directory: absent) }
        expectCheckpointError(mentioning: [Self.safetensorsFile, "not a directory"]) {
            _ = try Checkpoint.open(directory: Self.safetensorsFile)
        }
    }

    @Test("missing tensors name the key and the directory; contains and info agree")
    func missingTensor() throws {
        let checkpoint = try Checkpoint.open(directory: Fixtures.shardedBinModel)
        #expect(checkpoint.contains("aligner.layers.0.bias"))
        #expect(!checkpoint.contains("aligner.layers.9.bias"))
        #expect(checkpoint.info("aligner.layers.9.bias") == nil)
        expectCheckpointError(mentioning: [Fixtures.shardedBinModel, "'aligner.layers.9.bias'"]) {
            _ = try checkpoint.tensor("aligner.layers.9.bias")
        }
        expectCheckpointError(mentioning: [Fixtures.shardedBinModel, "'aligner.layers.9.bias'"]) {
            _ = try checkpoint.tensor("aligner.layers.9.bias", shape: [64])
        }
        expectCheckpointError(mentioning: ["'aligner.layers.9.bias'"]) { _ = try checkpoint.sha256(of: "aligner.layers.9.bias") }
    }

    @Test("a wrong shape request names the key, the file, expected and stored shapes")
    func wrongShape() throws {
        let checkpoint = try Checkpoint.open(directory: Fixtures.shardedBinModel)
        let info = try #require(checkpoint.info("aligner.layers.0.weight"))
        #expect(try checkpoint.tensor(info.name, shape: [64, 64]).shape == [64, 64])
        expectCheckpointError(mentioning: ["'aligner.layers.0.weight'", info.file, "expected shape [64, 32]",
                                           "stored shape [64, 64]"]) {
            _ = try checkpoint.tensor(info.name, shape: [64, 32])
        }
        expectCheckpointError(mentioning: ["expected shape [4096]"]) { _ = try checkpoint.tensor(info.name, shape: [4096]) }
    }

    @Test("a missing shard names the index and the shard", arguments: shardNames)
    func missingShard(_ shard: String) throws {
        try Self.withDirectory(linking: Self.shardedBinFiles(omitting: shard)) { directory in
            expectCheckpointError(mentioning: [directory.path + "/" + Self.binIndex, shard, "missing"]) {
                _ = try Checkpoint.open(directory: directory.path)
            }
        }
    }

    @Test("an index entry absent from its shard names the shard and the key")
    func keyNotInShard() throws {
        var files = Self.shardedBinFiles()
        files.removeValue(forKey: Self.binIndex)
        try Self.withDirectory(linking: files) { directory in
            let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(
                fileURLWithPath: Fixtures.shardedBinModel + "/" + Self.binIndex))) as? [String: Any]
            var weightMap = try #require(index?["weight_map"] as? [String: String])
            weightMap["phantom.weight"] = Self.shardNames[1]
            try writeFile(try Self.indexJSON(weightMap), named: Self.binIndex, in: directory)
            expectCheckpointError(mentioning: [Self.shardNames[1], "'phantom.weight'", Self.binIndex]) {
                _ = try Checkpoint.open(directory: directory.path)
            }
        }
    }

    /// Broken index files (their JSON text).
    static let brokenIndexes: [Labelled<String>] = [
        Labelled("not JSON", "{weight_map:", mentions: "not a valid index"),
        Labelled("no weight_map", #"{"metadata":{}}"#, mentions: "missing \"weight_map\""),
        Labelled("weight_map of numbers", #"{"weight_map":{"a":1}}"#, mentions: "at weight_map.a"),
        Labelled("empty weight_map", #"{"weight_map":{}}"#, mentions: "lists no tensors"),
        Labelled("shard outside the directory", #"{"weight_map":{"a":"../model.safetensors"}}"#, mentions: "'a'"),
        Labelled("absolute shard path", #"{"weight_map":{"a":"/etc/passwd"}}"#, mentions: "not a file inside"),
    ]

    @Test("broken indexes are refused naming the index", arguments: brokenIndexes)
    func brokenIndex(_ index: Labelled<String>) throws {
        try withScratchDirectory { directory in
            let path = try writeFile(Array(index.value.utf8), named: "model.safetensors.index.json", in: directory)
            expectCheckpointError(mentioning: [path, index.mentions]) { _ = try Checkpoint.open(directory: directory.path) }
        }
    }

    @Test("sharded safetensors (written by SafetensorsWriter) read like the single file")
    func shardedSafetensors() throws {
        let reference = try Checkpoint.open(directory: Fixtures.safetensorsModel)
        let names = reference.inventory.map(\.name)
        let shards = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
        try withScratchDirectory { directory in
            var weightMap: [String: String] = [:]
            for (shardIndex, shard) in shards.enumerated() {
                let part = names.enumerated().filter { $0.offset % 2 == shardIndex }.map(\.element)
                let tensors = try part.map { (name: $0, tensor: try reference.tensor($0)) }
                try SafetensorsWriter.write(tensors, metadata: ["format": "pt"],
                                            to: directory.appendingPathComponent(shard).path)
                for name in part { weightMap[name] = shard }
            }
            try writeFile(try Self.indexJSON(weightMap), named: "model.safetensors.index.json", in: directory)

            let sharded = try Checkpoint.open(directory: directory.path)
            #expect(sharded.format == .safetensorsSharded)
            #expect(sharded.inventory.map(\.name) == names)
            for info in sharded.inventory {
                #expect(info.file == weightMap[info.name])
                #expect(try sharded.sha256(of: info.name) == (try reference.sha256(of: info.name)))
            }
            // Removing a shard afterwards is reported against the index.
            try FileManager.default.removeItem(at: directory.appendingPathComponent(shards[0]))
            expectCheckpointError(mentioning: ["model.safetensors.index.json", shards[0]]) {
                _ = try Checkpoint.open(directory: directory.path)
            }
        }
    }

    @Test("a corrupt weights file is reported with its own path when opening the directory")
    func corruptWeights() throws {
        try withScratchDirectory { directory in
            let path = try writeFile(Array("not safetensors at all".utf8), named: "model.safetensors", in: directory)
            expectCheckpointError(mentioning: [path]) { _ = try Checkpoint.open(directory: directory.path) }
        }
    }

    @Test("a checkpoint is shared safely between concurrent tasks")
    func concurrentReads() async throws {
        let checkpoint = try Checkpoint.open(directory: Fixtures.binModel)
        let names = Array(checkpoint.inventory.map(\.name).prefix(64))
        let expected = try names.map { try checkpoint.sha256(of: $0) }
        let hashes = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (index, name) in names.enumerated() {
                group.addTask { (index, try checkpoint.sha256(of: name)) }
            }
            var results = [String](repeating: "", count: names.count)
            for try await (index, hash) in group { results[index] = hash }
            return results
        }
        #expect(hashes == expected)
    }
}
