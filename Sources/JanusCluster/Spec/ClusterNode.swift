/// A machine of the cluster. Its processes bind their endpoints on `host`, and
/// `janus cluster up` recognises the machine by it.
public struct ClusterNode: Hashable, Sendable {
    public let name: String
    /// IP address or host name, as peers reach this machine.
    public let host: String

    public init(name: String, host: String) {
        self.name = name
        self.host = host
    }
}
