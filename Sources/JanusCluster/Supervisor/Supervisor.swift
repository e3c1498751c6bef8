import Foundation
import Logging

/// Starts a set of processes and keeps them running: a crashed process is restarted
/// after an exponential backoff, each process's output goes to `<logDirectory>/<name>.log`
/// together with the supervisor's notes about it, and `stop()` ends every process and
/// everything it spawned (SIGTERM to its process group, SIGKILL after a grace period).
///
/// It runs any commands (`ProcessSpec`), which is what `janus cluster up` and the tests
/// need alike.
public actor Supervisor {
    public struct Configuration: Sendable {
        public var backoff: RestartBackoff
        public var restartPolicy: RestartPolicy
        /// Time between SIGTERM and SIGKILL when stopping.
        public var stopGracePeriod: Duration

        public init(backoff: RestartBackoff = RestartBackoff(), restartPolicy: RestartPolicy = .onFailure,
                    stopGracePeriod: Duration = .seconds(10)) {
            self.backoff = backoff
            self.restartPolicy = restartPolicy
            self.stopGracePeriod = stopGracePeriod
        }
    }

    private let configuration: Configuration
    private let logger: Logger
    private let logDirectory: URL
    private let onChange: (@Sendable ([SupervisedProcessStatus]) -> Void)?
    private var children: [Child]
    private var stopping = false
    private var recordedEvents: [SupervisorEvent] = []
    private var idleWaiters: [CheckedContinuation<Void, Never>] = []

    /// - Parameter onChange: called (on the supervisor) after every start and exit, e.g.
    ///   to keep a state file current.
    public init(processes: [ProcessSpec], logDirectory: String, configuration: Configuration = Configuration(),
                logger: Logger = Logger(label: "janus.supervisor"),
                onChange: (@Sendable ([SupervisedProcessStatus]) -> Void)? = nil) throws {
        var seen: Set<String> = []
        for process in processes where !seen.insert(process.name).inserted {
            throw SupervisorError.duplicateName(process.name)
        }
        let directory = URL(fileURLWithPath: logDirectory)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw SupervisorError.cannotOpenLog(logDirectory, reason: error.localizedDescription)
        }
        self.logDirectory = directory
        children = try processes.map { Child(spec: $0, log: try ProcessLog(directory: directory, name: $0.name)) }
        self.configuration = configuration
        self.logger = logger
        self.onChange = onChange
    }

    // MARK: Public interface

    /// Starts every process. If one cannot be started at all (missing executable), the
    /// ones already started are stopped and the error is thrown: a cluster that cannot
    /// start should say so at once rather than retry forever.
    public func start() async throws {
        for index in children.indices {
            do {
                try spawn(index)
            } catch {
                await stop()
                throw error
            }
        }
    }

    /// Stops every process: SIGTERM to each process group, then SIGKILL to whatever is
    /// left after the grace period. Returns once all of them are gone. Idempotent.
    public func stop() async {
        let alreadyStopping = stopping
        stopping = true
        cancelPendingRestarts()
        if !alreadyStopping {
            for index in children.indices where children[index].state == .running {
                children[index].log.note("stopping: SIGTERM to process group \(children[index].pid ?? 0)")
                children[index].group?.signal(SIGTERM)
            }
        }
        let deadline = ContinuousClock.now + configuration.stopGracePeriod
        while hasLiveProcesses, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        killRemaining(reason: "still running \(configuration.stopGracePeriod) after SIGTERM")
        // After SIGKILL, exit is immediate; the wait is only for the exit to be reaped.
        let reapDeadline = ContinuousClock.now + .seconds(10)
        while hasLiveProcesses, ContinuousClock.now < reapDeadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        resumeIdleWaitersIfDone()
    }

    /// Sends SIGKILL to every process group at once (a second Ctrl-C).
    public func kill() {
        stopping = true
        cancelPendingRestarts()
        killRemaining(reason: "killed on request")
    }

    /// Returns when no process is running or waiting to restart: after `stop()`, or
    /// when every process has exited for good.
    public func waitUntilIdle() async {
        while !isIdle {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
    }

    public var statuses: [SupervisedProcessStatus] {
        children.map(\.status)
    }

    /// Every event so far, oldest first.
    public var events: [SupervisorEvent] { recordedEvents }

    /// Where a process's log is written.
    public nonisolated func logFile(for name: String) -> URL {
        logDirectory.appendingPathComponent("\(name).log")
    }

    // MARK: Starting and restarting

    private func spawn(_ index: Int) throws {
        let spec = children[index].spec
        let process = Process()
        process.executableURL = URL(fileURLWithPath: spec.executable)
        process.arguments = spec.arguments
        if let environment = spec.environment { process.environment = environment }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = children[index].log.handle
        process.standardError = children[index].log.handle
        children[index].generation += 1
        let generation = children[index].generation
        process.terminationHandler = { [weak self] finished in
            let status: ExitStatus = finished.terminationReason == .uncaughtSignal
                ? .signalled(finished.terminationStatus) : .exited(code: finished.terminationStatus)
            let pid = finished.processIdentifier
            Task { await self?.childExited(index: index, generation: generation, pid: pid, status: status) }
        }
        children[index].log.note("starting: \(spec.commandLine.joined(separator: " "))")
        do {
            try SignalMask.withNothingBlocked { try process.run() }
        } catch {
            let reason = "\(spec.executable): \(error.localizedDescription)"
            children[index].log.note("cannot start: \(reason)")
            record(.startFailed(name: spec.name, reason: reason))
            logger.error("cannot start \(spec.name): \(reason)")
            throw SupervisorError.cannotStart(name: spec.name, reason: reason)
        }
        let pid = process.processIdentifier
        children[index].markStarted(process, group: ProcessGroup.establish(pid))
        let start = children[index].starts
        children[index].log.note("started pid \(pid) (start \(start))")
        logger.info("\(spec.name) started (pid \(pid))")
        record(.started(name: spec.name, pid: pid, start: start))
        notifyChange()
    }

    private func childExited(index: Int, generation: Int, pid: Int32, status: ExitStatus) {
        guard children[index].generation == generation, children[index].state == .running else { return }
        let name = children[index].spec.name
        let ranFor = children[index].markExited()
        record(.exited(name: name, pid: pid, status: status))
        children[index].log.note("pid \(pid) ended with \(status) after \(ranFor.formattedSeconds)")
        if stopping {
            children[index].state = .stopped
        } else {
            // The leader is gone; anything it left in its group would be an orphan. After
            // this the group is as good as empty, and its id may soon belong to another
            // process group, so it is no longer watched.
            let ended = children[index].groups.filter { $0.leader.pid == pid }
            ended.forEach { $0.signal(SIGKILL) }
            children[index].groups.removeAll { $0.leader.pid == pid }
            handleUnexpectedExit(index, status: status, ranFor: ranFor)
        }
        notifyChange()
        resumeIdleWaitersIfDone()
    }

    private func handleUnexpectedExit(_ index: Int, status: ExitStatus, ranFor: Duration) {
        let name = children[index].spec.name
        guard configuration.restartPolicy.shouldRestart(after: status) else {
            children[index].state = .exited
            children[index].log.note("not restarting (restart policy \(configuration.restartPolicy.rawValue))")
            logger.info("\(name) ended with \(status); not restarting")
            return
        }
        children[index].consecutiveFailures = configuration.backoff.failures(
            after: ranFor, previous: children[index].consecutiveFailures)
        scheduleRestart(index)
        logger.warning("\(name) ended with \(status); restarting")
    }

    private func scheduleRestart(_ index: Int) {
        let delay = configuration.backoff.delay(afterConsecutiveFailures: children[index].consecutiveFailures)
        let generation = children[index].generation
        children[index].state = .restarting
        children[index].log.note("restarting in \(delay.formattedSeconds)")
        record(.restartScheduled(name: children[index].spec.name, delay: delay))
        children[index].pendingRestart = Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.restart(index: index, generation: generation)
        }
    }

    private func restart(index: Int, generation: Int) {
        guard !stopping, children[index].generation == generation, children[index].state == .restarting else { return }
        children[index].pendingRestart = nil
        do {
            try spawn(index)
        } catch {
            // Already logged; keep trying, ever more slowly, as for a crash.
            children[index].consecutiveFailures += 1
            scheduleRestart(index)
        }
    }

    // MARK: Stopping

    private var hasLiveProcesses: Bool {
        children.contains { child in
            child.state == .running || child.groups.contains(where: \.isAlive)
        }
    }

    private var isIdle: Bool {
        children.allSatisfy { $0.state == .exited || $0.state == .stopped }
    }

    private func cancelPendingRestarts() {
        for index in children.indices where children[index].state == .restarting {
            children[index].pendingRestart?.cancel()
            children[index].pendingRestart = nil
            children[index].state = .stopped
        }
    }

    private func killRemaining(reason: String) {
        for index in children.indices {
            for group in children[index].groups where group.isAlive {
                group.signal(SIGKILL)
                children[index].log.note("SIGKILL to process group \(group.leader.pid): \(reason)")
                record(.killed(name: children[index].spec.name, pid: group.leader.pid))
            }
        }
    }

    private func resumeIdleWaitersIfDone() {
        guard isIdle else { return }
        let waiters = idleWaiters
        idleWaiters = []
        waiters.forEach { $0.resume() }
    }

    private func record(_ event: SupervisorEvent) {
        recordedEvents.append(event)
    }

    private func notifyChange() {
        onChange?(statuses)
    }
}

extension Duration {
    /// `0.5 s`, `12.0 s`: for log lines.
    var formattedSeconds: String {
        String(format: "%.1f s", seconds)
    }
}
