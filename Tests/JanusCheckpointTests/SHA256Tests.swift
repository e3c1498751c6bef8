import Foundation
import JanusCheckpoint
import JanusTestSupport
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    private func hex(_ text: String) -> String {
        var hasher = SHA256Hasher()
        hasher.update(text)
        return hasher.finalizeHex()
    }

    @Test("NIST known answers: empty, abc, 448-bit")
    func knownAnswers() {
        #expect(hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("NIST known answer: one million 'a'")
    func millionA() {
        var hasher = SHA256Hasher()
        let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(block) }
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("streaming in odd-sized chunks equals one shot", arguments: [1, 3, 55, 56, 63, 64, 65, 127, 1000, 4093])
    func streaming(chunkSize: Int) {
        let data = [UInt8].pseudoRandom(count: 10_007)
        let oneShot = data.withUnsafeBytes { SHA256Hasher.hexDigest(of: $0) }
        var hasher = SHA256Hasher()
        var offset = 0
        while offset < data.count {
            let end = min(offset + chunkSize, data.count)
            hasher.update(Array(data[offset..<end]))
            offset = end
        }
        #expect(hasher.finalizeHex() == oneShot)
    }

    @Test("whole-file hashes match fixtures.json for every checkpoint file")
    func fixtureFiles() throws {
        let checkpoints = try #require(try Fixtures.manifest()["checkpoints"] as? [String: [String: Any]])
        var hashed = 0
        for (directory, description) in checkpoints {
            let files = try #require(description["files"] as? [String: [String: Any]])
            for (name, expected) in files where name.hasSuffix(".safetensors") || name.contains(".bin") {
                let path = Fixtures.path("\(directory)/\(name)")
                #expect(try sha256(file: path) == expected["sha256"] as? String, "\(path)")
                hashed += 1
            }
        }
        #expect(hashed >= 5)  // model.safetensors, pytorch_model.bin, two shards, the index
    }

    @Test("model.safetensors hash (the golden checkpoint)")
    func goldenSafetensors() throws {
        let checkpoints = try #require(try Fixtures.manifest()["checkpoints"] as? [String: [String: Any]])
        let files = try #require(checkpoints["models/janus-pro-tiny-a"]?["files"] as? [String: [String: Any]])
        let expected = try #require(files["model.safetensors"]?["sha256"] as? String)
        #expect(try sha256(file: Fixtures.safetensorsModel + "/model.safetensors") == expected)
    }

    @Test("hashing an empty file and a missing one")
    func edgeFiles() throws {
        try withScratchDirectory { directory in
            let empty = try writeFile([], named: "empty", in: directory)
            #expect(try sha256(file: empty) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
            let missing = directory.appendingPathComponent("missing").path
            expectCheckpointError(mentioning: [missing]) { _ = try sha256(file: missing) }
        }
    }
}
