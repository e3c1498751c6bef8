#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child inherits the signal mask of the thread that spawns it, and Foundation's
/// `Process` does not reset it. Swift concurrency's worker threads block nearly every
/// signal, so a child started from async code would never see SIGTERM (it would wait out
/// every grace period and die of SIGKILL). Spawning with an empty mask gives children
/// what a shell would: no blocked signals. Tests that start janus processes from async
/// code with `Process` need the same.
public enum SignalMask {
    public static func withNothingBlocked<T>(_ body: () throws -> T) rethrows -> T {
        var empty = sigset_t()
        var previous = sigset_t()
        sigemptyset(&empty)
        // The main thread blocks nothing either, so briefly unblocking here changes
        // nothing about which signals this process receives.
        pthread_sigmask(SIG_SETMASK, &empty, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}
