import CJanusKernels
import JanusTensor

/// Streaming SHA-256 (FIPS 180-4) over the C implementation in CJanusKernels, used to
/// verify downloaded checkpoints and to fingerprint individual tensors.
public struct SHA256Hasher: Sendable {
    private var context = janus_sha256_ctx()

    public init() {
        janus_sha256_init(&context)
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        janus_sha256_update(&context, base, bytes.count)
    }

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ text: String) {
        update(Array(text.utf8))
    }

    /// The 32-byte digest. The hasher is spent afterwards; start a new one to hash again.
    public mutating func finalize() -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: 32)
        janus_sha256_final(&context, &digest)
        return digest
    }

    /// The digest as 64 lowercase hex digits, as `sha256sum` prints it.
    public mutating func finalizeHex() -> String {
        Self.hex(finalize())
    }

    /// The hex digest of `bytes` in one call.
    public static func hexDigest(of bytes: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256Hasher()
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

/// The SHA-256 of a whole file as hex, read through a memory mapping in chunks so a
/// multi-gigabyte checkpoint never needs its size in private memory.
public func sha256(file path: String) throws -> String {
    let file = try MappedFile.openForCheckpoint(path: path)
    let chunkSize = 64 << 20
    var hasher = SHA256Hasher()
    var offset = 0
    while offset < file.byteCount {
        let count = min(chunkSize, file.byteCount - offset)
        hasher.update(file.bytes(at: offset, count: count))
        offset += count
    }
    return hasher.finalizeHex()
}
