import Foundation
import JanusCheckpoint
import JanusTensor
import JanusTestSupport
import Testing

/// The tiny Janus-Pro checkpoint in its three published layouts must read identically.
@Suite("Golden checkpoint")
struct GoldenCheckpointTests {
    static let layouts: [(directory: String, format: CheckpointFormat)] = [
        (Fixtures.safetensorsModel, .safetensors),
        (Fixtures.binModel, .torchBin),
        (Fixtures.shardedBinModel, .torchBinSharded),
    ]

    @Test("each layout is detected", arguments: 0..<3)
    func detection(layout: Int) throws {
        let (directory, format) = Self.layouts[layout]
        let checkpoint = try Checkpoint.open(directory: directory)
        #expect(checkpoint.format == format)
        #expect(checkpoint.directory == directory)
    }

    @Test("tensor count, dtype and total parameters match the model spec")
    func inventory() throws {
        let checkpoint = try Checkpoint.open(directory: Fixtures.safetensorsModel)
        let header = try SafetensorsFile(path: Fixtures.safetensorsModel + "/model.safetensors")
        #expect(checkpoint.inventory.count == 429)
        #expect(checkpoint.inventory.count == header.tensorNames.count)
        #expect(header.metadata == ["format": "pt"])
        #expect(checkpoint.inventory.allSatisfy { $0.dtype == .bf16 })
        #expect(checkpoint.inventory.map(\.name) == checkpoint.inventory.map(\.name).sorted())
        let spec = try #require(try Fixtures.manifest()["model"] as? [String: Any])
        let parameters = try #require((spec["spec"] as? [String: Any])?["num_parameters"] as? Int)
        #expect(checkpoint.inventory.reduce(0) { $0 + $1.elementCount } == parameters)
        #expect(checkpoint.inventory.allSatisfy { $0.byteCount == $0.elementCount * 2 })
    }

    @Test("safetensors, .bin and sharded .bin hold bitwise-identical tensors")
    func layoutsAgree() throws {
        let reference = try Checkpoint.open(directory: Fixtures.safetensorsModel)
        for (directory, _) in Self.layouts.dropFirst() {
            let other = try Checkpoint.open(directory: directory)
            #expect(other.inventory.map(\.name) == reference.inventory.map(\.name))
            for info in reference.inventory {
                let otherInfo = try #require(other.info(info.name))
                #expect(otherInfo.dtype == info.dtype && otherInfo.shape == info.shape
                        && otherInfo.byteCount == info.byteCount, "\(info.name)")
                let expected = try reference.tensor(info.name)
                let actual = try other.tensor(info.name)
                #expect(actual.dtype == .bf16 && actual.shape == expected.shape)
                #expect(actual.rawBytes.elementsEqual(expected.rawBytes), "\(info.name) differs in \(directory)")
            }
        }
    }

    @Test("per-tensor sha256 agrees across layouts and with the bytes")
    func tensorHashes() throws {
        let checkpoints = try Self.layouts.map { try Checkpoint.open(directory: $0.directory) }
        for name in ["language_model.model.embed_tokens.weight", "gen_head.output_mlp_projector.bias",
                     "vision_model.vision_tower.pos_embed"] {
            let hashes = try checkpoints.map { try $0.sha256(of: name) }
            #expect(Set(hashes).count == 1, "\(name): \(hashes)")
            let bytes = try checkpoints[0].tensor(name).rawBytes
            #expect(hashes[0] == SHA256Hasher.hexDigest(of: bytes))
        }
    }

    @Test("tensors are read-only views into the mapped files (zero copy)", arguments: 0..<3)
    func zeroCopy(layout: Int) throws {
        let checkpoint = try Checkpoint.open(directory: Self.layouts[layout].directory)
        let info = try #require(checkpoint.info("language_model.model.embed_tokens.weight"))
        let first = try checkpoint.tensor(info.name)
        let second = try checkpoint.tensor(info.name)
        #expect(!first.isWritable)
        #expect(first.baseAddress == second.baseAddress)
        // The storage is the whole mapped file, not a private copy of the tensor.
        let fileSize = try FileManager.default.attributesOfItem(
            atPath: Self.layouts[layout].directory + "/" + info.file)[.size] as? Int
        #expect(first.storage.byteCount == fileSize)
    }

    @Test("TensorInfo.file names the file inside the directory")
    func fileNames() throws {
        #expect(try Checkpoint.open(directory: Fixtures.safetensorsModel).inventory
            .allSatisfy { $0.file == "model.safetensors" })
        #expect(try Checkpoint.open(directory: Fixtures.binModel).inventory
            .allSatisfy { $0.file == "pytorch_model.bin" })
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(
            fileURLWithPath: Fixtures.shardedBinModel + "/pytorch_model.bin.index.json"))) as? [String: Any]
        let weightMap = try #require(index?["weight_map"] as? [String: String])
        let sharded = try Checkpoint.open(directory: Fixtures.shardedBinModel)
        #expect(sharded.inventory.count == weightMap.count)
        for info in sharded.inventory { #expect(info.file == weightMap[info.name], "\(info.name)") }
        #expect(Set(weightMap.values).count == 2)
    }

    @Test("known values: bf16 bytes widen to the expected floats")
    func values() throws {
        let checkpoint = try Checkpoint.open(directory: Fixtures.binModel)
        let bias = try checkpoint.tensor("aligner.layers.0.bias", shape: [64])
        let floats = bias.floats()
        #expect(floats.count == 64)
        #expect(floats.allSatisfy { $0.isFinite })
        // Exact widening: every value is representable in bf16.
        #expect(floats.allSatisfy { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) == $0 })
    }

    @Test("every fixtures/*.safetensors file opens, with its metadata and dtypes")
    func fixtureTensorFiles() throws {
        let directory = Fixtures.path("fixtures")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".safetensors") }.sorted()
        #expect(names.count >= 9)
        for name in names {
            let file = try SafetensorsFile(path: directory + "/" + name)
            #expect(file.metadata["fixture"] == String(name.dropLast(".safetensors".count)))
            #expect(!file.tensorNames.isEmpty)
            for tensorName in file.tensorNames {
                let info = try #require(file.info(tensorName))
                #expect([.f32, .i64, .u8].contains(info.dtype))
                #expect(info.file == name)
                let tensor = try file.tensor(tensorName)
                #expect(tensor.shape == info.shape && tensor.byteCount == info.byteCount)
            }
        }
    }
}
