/// JanusCluster: the cluster file (`cluster/*.toml`) and everything that acts on it
/// without touching a model.
///
/// - `ClusterSpec.load(path:)` reads and validates a cluster file; every `janus serve`
///   role reads its own settings and its peers' endpoints from it.
/// - `ProcessPlan` turns a spec into the exact `janus serve …` command of each process
///   of a node; `SystemdUnits` renders the same commands as systemd units.
/// - `Supervisor` starts any list of commands, restarts crashed ones with backoff,
///   writes their logs and stops them all, so `janus cluster up` is a thin wrapper.
///
/// It must not import model code: the router, the stages and the tests all link it.
public enum JanusCluster {}
