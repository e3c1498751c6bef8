/// The four kinds of process; the raw value is the `janus serve <role>` argument.
public enum ProcessRole: String, Sendable, CaseIterable, Codable {
    case router, encoder, stage, decoder
}
