import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only into memory. Checkpoint tensors are views into it, so a
/// multi-gigabyte checkpoint costs page cache, not private memory.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let baseAddress: UnsafeRawPointer
    public let byteCount: Int
    private let mappingLength: Int

    public struct OpenError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw OpenError(path: path, reason: "cannot open (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw OpenError(path: path, reason: "cannot stat (\(String(cString: strerror(errno))))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw OpenError(path: path, reason: "not a regular file")
        }
        byteCount = Int(info.st_size)
        // mmap rejects empty mappings; map one page so an empty file is still a valid view.
        mappingLength = max(byteCount, 1)
        guard let address = mmap(nil, mappingLength, PROT_READ, MAP_PRIVATE, descriptor, 0),
              address != MAP_FAILED else {
            throw OpenError(path: path, reason: "cannot map (\(String(cString: strerror(errno))))")
        }
        baseAddress = UnsafeRawPointer(address)
    }

    /// The mapped bytes `[offset, offset + count)`; the caller checks the range.
    public func bytes(at offset: Int, count: Int) -> UnsafeRawBufferPointer {
        precondition(offset >= 0 && count >= 0 && offset + count <= byteCount)
        return UnsafeRawBufferPointer(start: baseAddress + offset, count: count)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: baseAddress), mappingLength)
    }
}
