import Foundation

/// A ZeroMQ endpoint this project uses, checked before ZeroMQ sees it so that a typo in
/// a cluster file gets a sentence instead of a bare EINVAL.
///
/// Accepted: `tcp://host:port` (host a name, an IPv4 address, `[IPv6]` or `*`; port
/// 1…65535, or `*` for any free port when binding), `ipc://path` (at most
/// `maxIPCPathBytes`, the Unix socket address limit) and `inproc://name`.
public struct Endpoint: Sendable, Equatable, CustomStringConvertible {
    public enum Transport: Sendable, Equatable {
        /// `port` nil means `*`: ZeroMQ picks a free port (bind only).
        case tcp(host: String, port: UInt16?)
        case ipc(path: String)
        case inproc(name: String)
    }

    public var transport: Transport

    /// `sun_path` without its terminating NUL: 107 bytes on Linux, 103 on macOS.
    public static let maxIPCPathBytes = MemoryLayout.size(ofValue: sockaddr_un().sun_path) - 1

    public init(_ transport: Transport) {
        self.transport = transport
    }

    public init(parsing text: String) throws(EndpointError) {
        func fail(_ reason: String) -> EndpointError { EndpointError(endpoint: text, reason: reason) }
        guard let separator = text.range(of: "://") else {
            throw fail("expected tcp://host:port, ipc://path or inproc://name")
        }
        let scheme = text[..<separator.lowerBound]
        let address = String(text[separator.upperBound...])
        guard !address.contains(where: { $0.isWhitespace }) else { throw fail("the address contains white space") }
        switch scheme {
        case "tcp":
            guard let colon = address.lastIndex(of: ":") else { throw fail("missing ':port' after the host") }
            let host = String(address[..<colon])
            let portText = address[address.index(after: colon)...]
            guard !host.isEmpty else { throw fail("missing host before ':port' (use * for every interface)") }
            let bracketed = host.hasPrefix("[") && host.hasSuffix("]") && host.count > 2
            guard bracketed || !host.contains(":") else {
                throw fail("an IPv6 host must be written in brackets, e.g. tcp://[::1]:5555")
            }
            guard !host.contains("/") else { throw fail("a tcp host cannot contain '/'") }
            if portText == "*" {
                transport = .tcp(host: host, port: nil)
            } else if let port = UInt16(portText), port > 0 {
                transport = .tcp(host: host, port: port)
            } else {
                throw fail("port '\(portText)' is not a number in 1…65535 (or * for any free port)")
            }
        case "ipc":
            guard !address.isEmpty else { throw fail("missing path after ipc://") }
            guard address.utf8.count <= Endpoint.maxIPCPathBytes else {
                throw fail("ipc path has \(address.utf8.count) bytes; Unix sockets allow at most \(Endpoint.maxIPCPathBytes)")
            }
            transport = .ipc(path: address)
        case "inproc":
            guard !address.isEmpty else { throw fail("missing name after inproc://") }
            transport = .inproc(name: address)
        default:
            throw fail("unsupported transport '\(scheme)' (use tcp, ipc or inproc)")
        }
    }

    public var description: String {
        switch transport {
        case .tcp(let host, let port): "tcp://\(host):\(port.map(String.init) ?? "*")"
        case .ipc(let path): "ipc://\(path)"
        case .inproc(let name): "inproc://\(name)"
        }
    }
}

public struct EndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    public var endpoint: String
    public var reason: String

    public var description: String { "invalid endpoint '\(endpoint)': \(reason)" }
}
