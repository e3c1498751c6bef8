import Testing

/// The distributed service end to end: real `janus cluster up` supervisors, real
/// `janus serve` processes, real sockets, and `janus submit` / `janus router` clients.
/// Serialized: every test starts a cluster of its own, and the machine may have only
/// two cores.
@Suite(.serialized) struct ClusterIntegrationTests {}
