#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// One Linux network namespace per cluster node, as separate hosts would be: each with
/// its own address in a private /24 (10.203.S.0/24, S chosen free per run), joined by a
/// bridge in the root namespace that holds 10.203.S.254, so a client here reaches them
/// all. Names carry a per-run tag; `remove()` deletes the namespaces (and with them
/// their veth ends) and the bridge.
final class NetworkNamespaces {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    let tag: String
    let subnet: Int
    let ip: String
    /// Node name → namespace name, and node name → address.
    private(set) var namespaces: [String: String] = [:]
    private(set) var addresses: [String: String] = [:]
    private var bridge: String?
    private var created: [String] = []
    private var hostLinks: [String] = []

    /// Where `ip` lives (iproute2); nil when it is not installed.
    static var ipTool: String? {
        ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Creates a namespace per node, or throws `Unavailable` saying why this machine
    /// cannot (not root, no `ip`, or the kernel refused).
    init(nodes: [String]) throws {
        guard getuid() == 0 else {
            throw Unavailable(description: "this test must run as root to create network namespaces (uid \(getuid()))")
        }
        guard let ip = Self.ipTool else {
            throw Unavailable(description: "iproute2's `ip` is not installed (scripts/setup-debian.sh installs it)")
        }
        self.ip = ip
        tag = String(format: "%05x", UInt32.random(in: 0..<0xFFFFF))
        let used = Processes.run(ip, ["-4", "addr"]).output
        guard let free = (0..<250).shuffled().first(where: { !used.contains("10.203.\($0).") }) else {
            throw Unavailable(description: "no free 10.203.x.0/24 subnet")
        }
        subnet = free
        do {
            try build(nodes: nodes)
        } catch {
            remove()
            throw error
        }
    }

    deinit { remove() }

    func namespace(of node: String) -> String { namespaces[node]! }
    func address(of node: String) -> String { addresses[node]! }

    private func build(nodes: [String]) throws {
        let bridge = "jb\(tag)"
        try ipCommand(["link", "add", bridge, "type", "bridge"])
        self.bridge = bridge
        try ipCommand(["addr", "add", "10.203.\(subnet).254/24", "dev", bridge])
        try ipCommand(["link", "set", bridge, "up"])
        for (index, node) in nodes.enumerated() {
            let namespace = "janus-it-\(tag)-\(node)"
            try ipCommand(["netns", "add", namespace])
            created.append(namespace)
            namespaces[node] = namespace
            let (host, inside) = ("jh\(tag)\(index)", "jn\(tag)\(index)")
            try ipCommand(["link", "add", host, "type", "veth", "peer", "name", inside])
            hostLinks.append(host)
            try ipCommand(["link", "set", inside, "netns", namespace])
            try ipCommand(["link", "set", host, "master", bridge])
            try ipCommand(["link", "set", host, "up"])
            let address = "10.203.\(subnet).\(index + 1)"
            try ipCommand(["-n", namespace, "addr", "add", "\(address)/24", "dev", inside])
            try ipCommand(["-n", namespace, "link", "set", inside, "up"])
            try ipCommand(["-n", namespace, "link", "set", "lo", "up"])
            addresses[node] = address
        }
    }

    private func ipCommand(_ arguments: [String]) throws {
        let result = Processes.run(ip, arguments)
        guard result.succeeded else {
            throw Unavailable(description: "`ip \(arguments.joined(separator: " "))` failed (\(result.status)): "
                              + result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Processes still inside a namespace (there should be none after teardown).
    func pids(in namespace: String) -> [Int32] {
        Processes.run(ip, ["netns", "pids", namespace]).output.split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
    }

    /// Kills what is left inside the namespaces, deletes them, the veth pairs and the
    /// bridge (explicitly: a deleted namespace takes its links along only once the
    /// kernel has finished with it).
    func remove() {
        for link in hostLinks { _ = Processes.run(ip, ["link", "del", link]) }
        hostLinks = []
        for namespace in created {
            for pid in pids(in: namespace) { kill(pid, SIGKILL) }
            _ = Processes.run(ip, ["netns", "del", namespace])
        }
        created = []
        if let bridge {
            _ = Processes.run(ip, ["link", "del", bridge])
            self.bridge = nil
        }
    }

    /// Whether anything of this run is still there (namespaces or links with its tag).
    var leftovers: [String] {
        let namespaces = Processes.run(ip, ["netns", "list"]).output
        let links = Processes.run(ip, ["-o", "link"]).output
        return (namespaces + links).split(separator: "\n").map(String.init).filter { $0.contains(tag) }
    }
}
