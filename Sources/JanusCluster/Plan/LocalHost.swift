#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Which nodes of a cluster file are this machine: `janus cluster up` without `--node`
/// starts the processes of every node whose host is one of this machine's names or
/// addresses. Loopback hosts always count, so `cluster/local.toml` works anywhere.
public struct LocalHost: Sendable {
    /// Host names (full and short) and IP addresses, lower-cased.
    public let identities: Set<String>

    public init(identities: Set<String>) {
        self.identities = Set(identities.map { $0.lowercased() })
    }

    /// This machine as it is now: its host name and every interface address.
    public static func current() -> LocalHost {
        var identities: Set<String> = ["localhost", "::1", "[::1]"]
        let hostName = ProcessInfo.processInfo.hostName.lowercased()
        identities.insert(hostName)
        if let short = hostName.split(separator: ".").first { identities.insert(String(short)) }
        for address in interfaceAddresses() {
            identities.insert(address)
            if address.contains(":") { identities.insert("[\(address)]") }
        }
        return LocalHost(identities: identities)
    }

    public func isLocal(host: String) -> Bool {
        let host = host.lowercased()
        return identities.contains(host) || Self.isLoopbackIPv4(host)
    }

    public func localNodes(of spec: ClusterSpec) -> [ClusterNode] {
        spec.nodes.filter { isLocal(host: $0.host) }
    }

    private static func isLoopbackIPv4(_ host: String) -> Bool {
        HostName.isIPv4(host) && host.hasPrefix("127.")
    }

    /// Numeric addresses of every interface (IPv6 without a zone suffix).
    private static func interfaceAddresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var addresses: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr else { continue }
            let family = Int32(address.pointee.sa_family)
            guard family == AF_INET || family == AF_INET6 else { continue }
            let length = socklen_t(family == AF_INET ? MemoryLayout<sockaddr_in>.size : MemoryLayout<sockaddr_in6>.size)
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, length, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 else {
                continue
            }
            let text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            addresses.append(String(text.split(separator: "%").first ?? Substring(text)).lowercased())
        }
        return addresses
    }
}
