import ArgumentParser
import Foundation
import JanusCluster
import JanusImage
import JanusInference
import JanusModels
import JanusServe
import JanusTensor
import JanusText
import JanusWire

/// `janus bench cluster`: what the network costs a running cluster, and what the cluster
/// gives against one process on the same machine.
///
/// (a) The per-hop latency of a decode-step activation (a `StepActivations` message with
/// `hidden` f32 `[rows, hidden_size]`, rows = 2 for one CFG image), over a ZeroMQ
/// PUSH→PULL hop on the transport the cluster's stages use, and the router round trip
/// (`status`). (b) End-to-end image tokens/s of N generation requests sent at once
/// through the router, against the same requests run one after another in this
/// process, as `janus generate` would.
struct BenchCluster: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Per-hop and router latency, and end-to-end image tokens/s of a running cluster vs one process.",
        discussion: """
            Start the cluster first, on this machine (the router's node), e.g.
              janus cluster up cluster/local.toml --model DIR
            then run `janus bench cluster --cluster cluster/local.toml --model DIR` with the same \
            model: the single-process run loads it in this process.

            Hop latency: a decode-step activation (StepActivations + hidden f32 [rows, hidden]) goes \
            this process →PUSH→PULL→ an echo process →PUSH→PULL→ this process, on the transport \
            of the cluster's stage endpoints (tcp on the router node's address, or ipc); half the \
            round trip is one hop. It includes encoding and validating the message once (the echo \
            forwards the raw frames), not the stages' compute.
            """)

    @Option(help: ArgumentHelp("The cluster file of the running cluster.", valueName: "file"))
    var cluster: String?

    @OptionGroup var modelOption: ModelOption

    @Option(help: "Generation requests sent at once through the router (and run one after another in this process).")
    var requests = 8

    @Option(help: "Images per request (each a CFG pair of rows).")
    var count = 1

    @Option(help: "Image side in pixels (default: the checkpoint's).")
    var imageSize: Int?

    @Option(help: "Round trips measured for the hop and for the router.")
    var roundTrips = 200

    @Option(help: "The prompt of every request.")
    var prompt = "A close-up photo of a red fox sitting in fresh snow, golden hour light."

    @Flag(help: "Print one JSON document.")
    var json = false

    /// Internal: run as the echo peer of a hop measurement (PULL from one endpoint, PUSH
    /// every message unchanged to the other; exit when stdin closes).
    @Option(help: .hidden) var echoFrom: String?
    @Option(help: .hidden) var echoTo: String?

    func validate() throws {
        if echoFrom != nil || echoTo != nil {
            guard echoFrom != nil, echoTo != nil else { throw ValidationError("--echo-from and --echo-to go together") }
            return
        }
        guard cluster != nil else { throw ValidationError("Missing expected argument '--cluster <file>'") }
        guard requests >= 1 else { throw ValidationError("--requests must be ≥ 1, got \(requests)") }
        guard (1...64).contains(count) else { throw ValidationError("--count must be in 1…64, got \(count)") }
        guard roundTrips >= 1 else { throw ValidationError("--round-trips must be ≥ 1, got \(roundTrips)") }
    }

    // MARK: Report

    struct Percentiles: Encodable {
        let median: Double, p90: Double, min: Double

        init(_ samples: [Double]) {
            let sorted = samples.sorted()
            median = sorted[sorted.count / 2]
            p90 = LatencyStats.nearestRank(90, inSorted: sorted)
            self.min = sorted[0]
        }
    }

    struct Hop: Encodable {
        let measured: String
        let transport: String
        let rows: Int
        let hidden_size: Int
        let message_bytes: Int
        let round_trips: Int
        let one_way_us: Percentiles
    }

    struct RouterTrip: Encodable {
        let measured: String
        let router: String
        let requests: Int
        let round_trip_ms: Percentiles
    }

    struct Throughput: Encodable {
        let seconds: Double
        let image_tokens_per_s: Double
    }

    struct EndToEnd: Encodable {
        let requests: Int
        let images_per_request: Int
        let image_size: Int
        let tokens_per_image: Int
        let image_tokens: Int
        let cluster: Throughput
        let single_process: Throughput
        /// cluster tokens/s ÷ single-process tokens/s.
        let ratio: Double
        let single_process_model_load_s: Double
        /// Whether the cluster returned exactly the single-process PNGs.
        let same_images: Bool
    }

    struct Report: Encodable {
        let cluster_file: String
        let model: String
        let hop: Hop
        let router_round_trip: RouterTrip
        let end_to_end: EndToEnd
    }

    // MARK: Running

    func run() throws {
        if let echoFrom, let echoTo { return try Self.echo(from: echoFrom, to: echoTo) }
        let spec = try ClusterSpec.load(path: cluster!)
        let directory = try modelOption.resolve()
        let configuration = try JanusConfiguration.load(directory: directory)
        let hidden = configuration.language.hiddenSize
        let router = spec.router.clientEndpoint.description
        let vq = configuration.genVision.params
        let size = imageSize ?? vq.imageSize
        guard size > 0, size % vq.downsample == 0 else {
            throw ValidationError("--image-size \(size) is not a multiple of the VQ downsample factor \(vq.downsample).")
        }
        let context = try ZMQContext()

        // The router first: a cluster that is not up fails here, before anything slow.
        if !json { status("janus: router round trip (\(roundTrips) status requests to \(router))…") }
        let routerTrip = try measureRouter(router, context: context)
        if !json { status("janus: hop latency (\(roundTrips) round trips of a decode-step activation)…") }
        let hop = try measureHop(spec: spec, hidden: hidden, context: context)
        if !json { status("janus: \(requests) generation requests through the router, then in this process…") }
        let endToEnd = try measureEndToEnd(router: router, directory: directory, size: size,
                                           side: size / vq.downsample, context: context)
        let report = Report(cluster_file: cluster!, model: directory, hop: hop, router_round_trip: routerTrip,
                            end_to_end: endToEnd)
        if json { return try printJSON(report) }
        print(Self.text(report))
    }

    static func text(_ report: Report) -> String {
        let hop = report.hop, trip = report.router_round_trip, e2e = report.end_to_end
        func us(_ p: Percentiles) -> String {
            String(format: "median %.1f µs, p90 %.1f µs, min %.1f µs", p.median, p.p90, p.min)
        }
        func ms(_ p: Percentiles) -> String {
            String(format: "median %.2f ms, p90 %.2f ms, min %.2f ms", p.median, p.p90, p.min)
        }
        return """
            cluster \(report.cluster_file), model \(report.model)

            per-hop latency, decode-step activation (\(hop.rows) rows × \(hop.hidden_size) f32, \(hop.message_bytes) bytes), \(hop.transport):
              one way: \(us(hop.one_way_us))
              measured: \(hop.measured)
            router round trip (\(trip.router)): \(ms(trip.round_trip_ms))
              measured: \(trip.measured)

            end to end: \(e2e.requests) requests × \(e2e.images_per_request) image(s) of \(e2e.image_size) px, \(e2e.tokens_per_image) tokens each (\(e2e.image_tokens) image tokens)
              cluster (all at once through the router): \(String(format: "%.2f s, %.1f image tokens/s", e2e.cluster.seconds, e2e.cluster.image_tokens_per_s))
              single process (one after another here):  \(String(format: "%.2f s, %.1f image tokens/s", e2e.single_process.seconds, e2e.single_process.image_tokens_per_s)) (model loaded in \(String(format: "%.2f s", e2e.single_process_model_load_s)), not counted)
              ratio cluster / single process: \(String(format: "%.2f", e2e.ratio))×; same images: \(e2e.same_images ? "yes" : "NO")
            """
    }

    // MARK: (a) Latency

    private func measureRouter(_ router: String, context: ZMQContext) throws -> RouterTrip {
        let client = try RouterClient(endpoint: router, context: context)
        do {
            _ = try client.status(timeout: 3)
        } catch {
            throw BenchClusterError("\(error). Is the cluster up? Start it first: janus cluster up \(cluster!) --model DIR")
        }
        var samples: [Double] = []
        for _ in 0..<roundTrips {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try client.status(timeout: 10)
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return RouterTrip(measured: "StatusRequest → StatusReply over the router's client endpoint (DEALER→ROUTER), "
                                    + "one at a time, wall clock in this process",
                          router: router, requests: roundTrips, round_trip_ms: Percentiles(samples))
    }

    /// Where the echo pair binds: the stages' transport, on the router node's address when
    /// it is one of this machine's (the bench runs on the router's node).
    private func hopTransport(spec: ClusterSpec) -> (bind: (String, String), label: String) {
        if case .ipc = spec.stages[0].dataEndpoint.transport {
            let base = NSTemporaryDirectory() + "janus-bench-\(getpid())"
            return (("ipc://\(base)-out", "ipc://\(base)-in"), "ipc (like the stage endpoints)")
        }
        let routerHost = spec.node(named: spec.router.node)?.host ?? "127.0.0.1"
        let isAddress = Self.isIPv4(routerHost) || (routerHost.hasPrefix("[") && routerHost.hasSuffix("]"))
        if isAddress && LocalHost.current().isLocal(host: routerHost) {
            return (("tcp://\(routerHost):*", "tcp://\(routerHost):*"), "tcp on \(routerHost) (the router node's address)")
        }
        return (("tcp://127.0.0.1:*", "tcp://127.0.0.1:*"),
                "tcp on 127.0.0.1 (the router's host \(routerHost) is not an address of this machine)")
    }

    private static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    private func measureHop(spec: ClusterSpec, hidden: Int, context: ZMQContext) throws -> Hop {
        let rows = 2
        let (bind, label) = hopTransport(spec: spec)
        let out = try context.socket(.push)
        let back = try context.socket(.pull)
        defer {
            out.close()
            back.close()
        }
        let outEndpoint = try out.bind(bind.0)
        let backEndpoint = try back.bind(bind.1)
        let echo = try spawnEcho(from: outEndpoint, to: backEndpoint)
        defer {
            try? echo.stdin.fileHandleForWriting.close()
            if echo.process.isRunning { kill(echo.process.processIdentifier, SIGTERM) }
            echo.process.waitUntilExit()
            for endpoint in [outEndpoint, backEndpoint] where endpoint.hasPrefix("ipc://") {
                try? FileManager.default.removeItem(atPath: String(endpoint.dropFirst("ipc://".count)))
            }
        }
        let slots = (0..<rows).map { RowSlot(sequenceID: "bench", row: UInt32($0), tokenCount: 1, position: 600) }
        let message = WireMessage(requestID: "bench", body: .step(StepActivations(stepID: 1, slots: slots)),
                                  tensors: ["hidden": Tensor(zeros: [rows, hidden])])
        let bytes = try message.encodedFrames().reduce(0) { $0 + $1.count }

        func roundTrip(timeoutMilliseconds: Int) throws -> Double? {
            let start = DispatchTime.now().uptimeNanoseconds
            try out.send(message)
            guard let received = try back.receive(timeoutMilliseconds: timeoutMilliseconds) else { return nil }
            _ = try received.result.get()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3
        }
        // The first one waits for the echo process to start and connect.
        guard try roundTrip(timeoutMilliseconds: 30_000) != nil else {
            throw BenchClusterError("the echo process did not answer on \(outEndpoint) / \(backEndpoint)")
        }
        for _ in 0..<Swift.min(20, roundTrips) { _ = try roundTrip(timeoutMilliseconds: 10_000) }
        var samples: [Double] = []
        for _ in 0..<roundTrips {
            guard let microseconds = try roundTrip(timeoutMilliseconds: 10_000) else {
                throw BenchClusterError("the echo process stopped answering")
            }
            samples.append(microseconds / 2)
        }
        return Hop(measured: "half the round trip this process →PUSH→PULL→ echo process →PUSH→PULL→ this process "
                             + "(\(outEndpoint), back on \(backEndpoint)); includes encoding and validating the message "
                             + "once, the echo forwards the raw frames; no model compute",
                   transport: label, rows: rows, hidden_size: hidden, message_bytes: bytes, round_trips: roundTrips,
                   one_way_us: Percentiles(samples))
    }

    private func spawnEcho(from: String, to: String) throws -> (process: Process, stdin: Pipe) {
        let process = Process()
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["bench", "cluster", "--echo-from", from, "--echo-to", to]
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        try SignalMask.withNothingBlocked { try process.run() }
        return (process, stdin)
    }

    /// The echo peer: every message from `from` goes back unchanged to `to`, until stdin
    /// closes (the bench is done or gone).
    static func echo(from: String, to: String) throws {
        Thread.detachNewThread {
            _ = FileHandle.standardInput.readDataToEndOfFile()
            Foundation.exit(0)
        }
        let context = try ZMQContext()
        let pull = try context.socket(.pull)
        let push = try context.socket(.push)
        try pull.connect(from)
        try push.connect(to)
        var idleSince = Date()
        while Date().timeIntervalSince(idleSince) < 600 {
            guard let frames = try pull.receiveMultipart(timeoutMilliseconds: 1000) else { continue }
            try push.sendMultipart(frames)
            idleSince = Date()
        }
    }

    // MARK: (b) Throughput

    private func measureEndToEnd(router: String, directory: String, size: Int, side: Int,
                                 context: ZMQContext) throws -> EndToEnd {
        let tokens = requests * count * side * side
        let seeds = (0..<requests).map { UInt64(1000 + $0) }

        // Through the router: every request at once, one client connection each.
        let clusterImages = LockedResults(count: requests)
        let group = DispatchGroup()
        let (prompt, count, imageSize) = (prompt, count, size)
        let clusterStart = DispatchTime.now().uptimeNanoseconds
        for (index, seed) in seeds.enumerated() {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    let client = try RouterClient(endpoint: router, context: context)
                    var pngs = [Data](repeating: Data(), count: count)
                    let request = GenerateRequest(prompt: prompt, count: UInt32(count), cfgWeight: 5,
                                                  sampling: Sampling(temperature: 1, seed: seed), imageSize: UInt32(imageSize))
                    _ = try client.generate(request, deadline: 3600) { image, png, _ in pngs[image] = png }
                    clusterImages.set(index, .success(pngs))
                } catch {
                    clusterImages.set(index, .failure(error))
                }
            }
        }
        group.wait()
        let clusterSeconds = Double(DispatchTime.now().uptimeNanoseconds - clusterStart) / 1e9
        let fromCluster = try clusterImages.values.map { try $0.get() }

        // In this process, one request after another, as `janus generate` runs them.
        let loadStart = DispatchTime.now().uptimeNanoseconds
        let model = try JanusModel.load(directory: directory)
        let builder = try PromptBuilder.load(directory: directory)
        let generator = model.imageGenerator(padID: try builder.padID)
        let promptIDs = builder.generationPromptIDs(prompt)
        let loadSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
        let singleStart = DispatchTime.now().uptimeNanoseconds
        var fromSingle: [[Data]] = []
        for seed in seeds {
            let grids = try generator.generate(ImageGenerationRequest(
                promptIDs: promptIDs, count: count, cfgWeight: 5, imageTokenCount: side * side,
                sampling: SamplingOptions(temperature: 1), seed: seed))
            fromSingle.append(try grids.map { grid in
                let pixels = try model.imageDecoder.decodeToRGB(codes: [grid], gridHeight: side, gridWidth: side)[0]
                return try RGBImage(width: size, height: size, pixels: pixels).pngData()
            })
        }
        let singleSeconds = Double(DispatchTime.now().uptimeNanoseconds - singleStart) / 1e9

        let clusterRate = Double(tokens) / clusterSeconds, singleRate = Double(tokens) / singleSeconds
        return EndToEnd(requests: requests, images_per_request: count, image_size: size, tokens_per_image: side * side,
                        image_tokens: tokens,
                        cluster: Throughput(seconds: clusterSeconds, image_tokens_per_s: clusterRate),
                        single_process: Throughput(seconds: singleSeconds, image_tokens_per_s: singleRate),
                        ratio: clusterRate / singleRate, single_process_model_load_s: loadSeconds,
                        same_images: fromCluster == fromSingle)
    }
}

private struct BenchClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One result slot per request, written from the request's thread.
private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<[Data], any Error>]

    init(count: Int) {
        results = Array(repeating: .failure(CancellationError()), count: count)
    }

    func set(_ index: Int, _ result: Result<[Data], any Error>) {
        lock.lock()
        results[index] = result
        lock.unlock()
    }

    var values: [Result<[Data], any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return results
    }
}
