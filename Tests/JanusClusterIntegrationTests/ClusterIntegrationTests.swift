import Testing

/// The distributed service end to end: real `janus cluster up` supervisors, real
/// `janus serve` processes, real sockets, and `janus submit` / `janus router` clients.
/// Serialized: every test starts a cluster of its own, and the machine may have only
/// two cores.
///
/// - `LocalCluster`: router, encoder, 2 stages, 2 decoders on loopback (free TCP ports),
///   concurrent golden generation and understanding requests = the single-process results.
/// - `NamespacedCluster`: the same, one Linux network namespace per node (needs root and
///   iproute2; fails, saying so, where namespaces cannot be created).
/// - `Failures`: SIGKILL of a decoder during 20 generations; SIGKILL of each stage.
/// - `MalformedFrameRobustness`: broken frames to every socket a process binds.
/// - `BenchClusterCommand`: `janus bench cluster` against a running cluster.
///
/// `swift test --filter JanusClusterIntegrationTests` (about 25 s on two cores). Each test
/// writes its cluster file to a temporary directory and stops everything it started,
/// also when it fails.
@Suite(.serialized) struct ClusterIntegrationTests {}
