import Foundation

/// How long to wait before restarting a process that keeps failing: doubling from
/// `initialDelay` up to `maximumDelay`, so a crash loop does not spin the machine while
/// a one-off crash is repaired quickly. A process that ran for `stablePeriod` before
/// failing starts over at `initialDelay`.
public struct RestartBackoff: Hashable, Sendable {
    public var initialDelay: Duration
    public var maximumDelay: Duration
    public var multiplier: Double
    public var stablePeriod: Duration

    public init(initialDelay: Duration = .milliseconds(500), maximumDelay: Duration = .seconds(10),
                multiplier: Double = 2, stablePeriod: Duration = .seconds(30)) {
        precondition(multiplier >= 1 && initialDelay <= maximumDelay)
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
        self.multiplier = multiplier
        self.stablePeriod = stablePeriod
    }

    /// The wait before the restart that follows `failures` consecutive failures (≥ 1).
    public func delay(afterConsecutiveFailures failures: Int) -> Duration {
        let exponent = Double(max(0, failures - 1))
        // Computed in seconds and capped before converting back, so no overflow however long the loop.
        let seconds = min(initialDelay.seconds * pow(multiplier, exponent), maximumDelay.seconds)
        return .seconds(seconds)
    }

    /// The consecutive-failure count after a process that ran for `runTime` failed.
    public func failures(after runTime: Duration, previous: Int) -> Int {
        runTime >= stablePeriod ? 1 : previous + 1
    }
}

/// When an exited process is started again.
public enum RestartPolicy: String, Sendable, CaseIterable {
    /// After a non-zero exit or a signal; a clean exit (status 0) means the process was
    /// done. Matches the systemd units' `Restart=on-failure`.
    case onFailure = "on-failure"
    case always
    case never

    func shouldRestart(after status: ExitStatus) -> Bool {
        switch self {
        case .always: true
        case .never: false
        case .onFailure: !status.isSuccess
        }
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
