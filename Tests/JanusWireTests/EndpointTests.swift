import Testing
@testable import JanusWire

@Suite struct EndpointTests {
    @Test(arguments: [
        ("tcp://127.0.0.1:5555", Endpoint.Transport.tcp(host: "127.0.0.1", port: 5555)),
        ("tcp://*:6000", .tcp(host: "*", port: 6000)),
        ("tcp://node-a.cluster:65535", .tcp(host: "node-a.cluster", port: 65535)),
        ("tcp://[::1]:7000", .tcp(host: "[::1]", port: 7000)),
        ("tcp://127.0.0.1:*", .tcp(host: "127.0.0.1", port: nil)),
        ("ipc:///tmp/janus/router.sock", .ipc(path: "/tmp/janus/router.sock")),
        ("ipc://@abstract-name", .ipc(path: "@abstract-name")),
        ("inproc://stage-0", .inproc(name: "stage-0")),
    ])
    func validEndpointsParseAndPrintBack(_ text: String, _ transport: Endpoint.Transport) throws {
        let endpoint = try Endpoint(parsing: text)
        #expect(endpoint.transport == transport)
        #expect(endpoint.description == text)
    }

    @Test(arguments: [
        ("localhost:5555", "expected tcp://host:port, ipc://path or inproc://name"),
        ("udp://127.0.0.1:5555", "unsupported transport 'udp' (use tcp, ipc or inproc)"),
        ("http://example.com:80", "unsupported transport 'http' (use tcp, ipc or inproc)"),
        ("tcp://127.0.0.1", "missing ':port' after the host"),
        ("tcp://:5555", "missing host before ':port' (use * for every interface)"),
        ("tcp://127.0.0.1:0", "port '0' is not a number in 1…65535 (or * for any free port)"),
        ("tcp://127.0.0.1:70000", "port '70000' is not a number in 1…65535 (or * for any free port)"),
        ("tcp://127.0.0.1:http", "port 'http' is not a number in 1…65535 (or * for any free port)"),
        ("tcp://::1:5555", "an IPv6 host must be written in brackets, e.g. tcp://[::1]:5555"),
        ("tcp://host name:5555", "the address contains white space"),
        ("tcp://a/b:5555", "a tcp host cannot contain '/'"),
        ("ipc://", "missing path after ipc://"),
        ("ipc:///" + String(repeating: "p", count: Endpoint.maxIPCPathBytes),
         "ipc path has \(Endpoint.maxIPCPathBytes + 1) bytes; Unix sockets allow at most \(Endpoint.maxIPCPathBytes)"),
        ("inproc://", "missing name after inproc://"),
    ])
    func invalidEndpointsSayWhy(_ text: String, _ reason: String) {
        #expect(throws: EndpointError(endpoint: text, reason: reason)) { try Endpoint(parsing: text) }
    }

    @Test func errorDescriptionQuotesTheEndpoint() {
        #expect(EndpointError(endpoint: "x", reason: "y").description == "invalid endpoint 'x': y")
    }
}
