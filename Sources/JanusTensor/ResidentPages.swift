import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Tensor {
    /// If this tensor is a view into a mapped file, drops the pages wholly inside it from
    /// this process's resident set (`MADV_DONTNEED`): once a weight has been quantised,
    /// its bf16 pages need not count towards RSS. The mapping is read-only, so nothing is
    /// lost: a later read faults the pages back in from the file (or the page cache).
    /// Does nothing for memory this process allocated, or off Linux.
    public func dropResidentFilePages() {
        guard !storage.isWritable, byteCount > 0 else { return }
        #if os(Linux)
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = Int(bitPattern: baseAddress)
        let first = (start + page - 1) / page * page
        let end = (start + byteCount) / page * page
        guard end > first else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: first), end - first, MADV_DONTNEED)
        #endif
    }
}
