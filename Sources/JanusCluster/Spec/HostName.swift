/// Checks the host part of node addresses and TCP endpoints.
enum HostName {
    /// Why `host` cannot be connected to, or nil when it is a usable address or name.
    static func problem(with host: String) -> String? {
        if host.isEmpty { return "empty host" }
        if host == "*" || host == "0.0.0.0" || host == "[::]" {
            return "wildcard host \(host): name the address peers connect to (the node's host)"
        }
        if host.hasPrefix("[") {
            return host.hasSuffix("]") && isIPv6(host.dropFirst().dropLast()) ? nil : "invalid IPv6 address \(host)"
        }
        if host.allSatisfy({ $0.isNumber || $0 == "." }) {
            return isIPv4(host) ? nil : "invalid IPv4 address \(host)"
        }
        return isDNSName(host) ? nil : "invalid host name \(host)"
    }

    static func isIPAddress(_ host: String) -> Bool {
        isIPv4(host) || (host.hasPrefix("[") && host.hasSuffix("]") && isIPv6(host.dropFirst().dropLast()))
    }

    static func isIPv4(_ text: some StringProtocol) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && (Int(part).map { $0 <= 255 } ?? false)
        }
    }

    /// Loose IPv6 check: hex groups and colons (one `::` at most). Enough to catch typos;
    /// ZeroMQ has the last word when it binds.
    static func isIPv6(_ text: some StringProtocol) -> Bool {
        let allowed = text.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        return allowed && text.contains(":") && groups.count <= 8
            && text.split(separator: "::", omittingEmptySubsequences: false).count <= 2
            && groups.allSatisfy { $0.count <= 4 || $0.contains(".") }
    }

    /// RFC 1123 names: dot-separated labels of letters, digits and hyphens.
    static func isDNSName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return text.count <= 253 && labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        }
    }
}
