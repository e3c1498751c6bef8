import Foundation

/// Fields of this process's memory mappings, from /proc/self/smaps (nil off Linux).
enum MappingInfo {
    /// The numeric value of `field` (e.g. `Rss`, in kB; `THPeligible`, 0 or 1) of the
    /// mapping that holds `address`.
    static func kilobytes(_ field: String, ofMappingAt address: UnsafeRawPointer) -> Int? {
        // Read to the end: /proc files report a size of 0, and a read sized by it stops short.
        guard let data = FileHandle(forReadingAtPath: "/proc/self/smaps")?.readDataToEndOfFile(),
              let smaps = String(data: data, encoding: .utf8) else { return nil }
        let target = UInt(bitPattern: address)
        var inside = false
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let range = fields.first, range.contains("-"), !range.hasSuffix(":") {
                let bounds = range.split(separator: "-").compactMap { UInt($0, radix: 16) }
                inside = bounds.count == 2 && bounds[0] <= target && target < bounds[1]
            } else if inside, fields.first == "\(field):", fields.count >= 2, let value = Int(fields[1]) {
                return value
            }
        }
        return nil
    }
}
