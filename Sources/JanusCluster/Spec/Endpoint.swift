/// A ZeroMQ endpoint that one process binds and others connect to.
///
/// Only transports that work between processes are accepted: `tcp://HOST:PORT` (HOST an
/// IPv4 address, a bracketed IPv6 address or a host name — never a wildcard, since peers
/// connect to the same string) and `ipc://PATH` (one machine only). `inproc://` works
/// inside a single process and so never between cluster processes.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public enum Transport: Hashable, Sendable {
        case tcp(host: String, port: Int)
        case ipc(path: String)
    }

    public let transport: Transport

    public init(tcpHost host: String, port: Int) {
        transport = .tcp(host: host.lowercased(), port: port)
    }

    public init(ipcPath path: String) {
        transport = .ipc(path: path)
    }

    /// Parses an endpoint string; the error is a message fit for a validation report.
    public init(parsing text: String) throws(EndpointParseError) {
        if text.hasPrefix("tcp://") {
            let address = text.dropFirst("tcp://".count)
            guard let colon = address.lastIndex(of: ":") else {
                throw EndpointParseError("\(text): no port (expected tcp://HOST:PORT)")
            }
            let host = String(address[..<colon])
            let portText = address[address.index(after: colon)...]
            guard let port = Int(portText), (1...65_535).contains(port) else {
                throw EndpointParseError("\(text): port must be a number from 1 to 65535")
            }
            if let problem = HostName.problem(with: host) {
                throw EndpointParseError("\(text): \(problem)")
            }
            self.init(tcpHost: host, port: port)
        } else if text.hasPrefix("ipc://") {
            let path = String(text.dropFirst("ipc://".count))
            guard !path.isEmpty else { throw EndpointParseError("\(text): empty ipc path") }
            self.init(ipcPath: path)
        } else if text.hasPrefix("inproc://") {
            throw EndpointParseError("\(text): inproc:// works only inside one process; use tcp:// (or ipc:// on one machine)")
        } else {
            throw EndpointParseError("\(text): not an endpoint (expected tcp://HOST:PORT or ipc://PATH)")
        }
    }

    /// The string peers connect to.
    public var description: String {
        switch transport {
        case .tcp(let host, let port): "tcp://\(host):\(port)"
        case .ipc(let path): "ipc://\(path)"
        }
    }

    /// The string the owning process binds. ZeroMQ binds IP addresses and interface names
    /// but does not resolve host names, so a host-name endpoint binds every interface.
    public var bindAddress: String {
        switch transport {
        case .tcp(let host, let port): HostName.isIPAddress(host) ? description : "tcp://*:\(port)"
        case .ipc: description
        }
    }

    /// The TCP host, nil for ipc.
    public var host: String? {
        if case .tcp(let host, _) = transport { host } else { nil }
    }

    /// True when the endpoint can only be reached from the machine that binds it.
    public var isMachineLocal: Bool {
        if case .ipc = transport { true } else { false }
    }
}

public struct EndpointParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
