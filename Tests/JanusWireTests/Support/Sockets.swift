import Foundation
import JanusTensor
import Testing
@testable import JanusWire

/// A fresh endpoint of `transport` ("tcp", "ipc" or "inproc") to bind to.
func bindableEndpoint(_ transport: String) -> String {
    switch transport {
    case "tcp": "tcp://127.0.0.1:*"
    case "ipc": "ipc:///tmp/janus-wire-\(UUID().uuidString.prefix(8)).sock"
    default: "inproc://wire-test-\(UUID().uuidString)"
    }
}

/// A ROUTER bound on `transport` and a DEALER (routing id `dealerID`) connected to it.
func routerAndDealer(_ context: ZMQContext, _ transport: String = "tcp",
                     dealerID: String = "dealer-1") throws -> (router: ZMQSocket, dealer: ZMQSocket) {
    let router = try context.socket(.router)
    let endpoint = try router.bind(bindableEndpoint(transport))
    let dealer = try context.socket(.dealer, options: [.routingID(Data(dealerID.utf8))])
    try dealer.connect(endpoint)
    return (router, dealer)
}

/// The next message on `socket`, failing the test after five seconds instead of hanging.
func receiveWithin5s(_ socket: ZMQSocket, limits: WireLimits = .default,
                     sourceLocation: SourceLocation = #_sourceLocation) throws -> Received {
    try #require(try socket.receive(timeoutMilliseconds: 5000, limits: limits), sourceLocation: sourceLocation)
}

/// Waits up to a second for `condition`, for effects that happen on ZeroMQ's I/O threads.
func eventually(_ condition: () -> Bool) -> Bool {
    for _ in 0..<100 {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}
