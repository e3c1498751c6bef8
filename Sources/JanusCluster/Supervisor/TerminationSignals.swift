import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns SIGTERM, SIGINT and SIGHUP into calls of `handler` (on a background queue)
/// instead of killing the process, so a supervisor can stop its children first. The
/// handler receives how many signals have arrived, so a second Ctrl-C can escalate.
///
/// The signals are ignored at the process level while this is active; children started
/// by Foundation's `Process` get default dispositions back, so they still die of SIGTERM.
public final class TerminationSignals: @unchecked Sendable {
    public static let standard: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    private let signals: [Int32]
    private var sources: [DispatchSourceSignal] = []
    private let queue = DispatchQueue(label: "janus.termination-signals")
    private var count = 0

    public init(_ signals: [Int32] = TerminationSignals.standard,
                handler: @escaping @Sendable (_ signal: Int32, _ count: Int) -> Void) {
        self.signals = signals
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { [unowned self] in
                count += 1
                handler(number, count)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Restores the default dispositions.
    public func cancel() {
        queue.sync {
            sources.forEach { $0.cancel() }
            sources = []
        }
        signals.forEach { signal($0, SIG_DFL) }
    }
}
