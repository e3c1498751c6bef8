import Logging

extension Logger {
    /// A worker's logger: to stderr (the supervisor collects it into the process's log
    /// file), labelled with the process name so merged logs stay readable.
    public static func worker(named name: String, level: Logger.Level = .info) -> Logger {
        var logger = Logger(label: "janus.\(name)") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = level
        return logger
    }
}
