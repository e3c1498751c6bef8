/// The router: the one address clients need, and the socket every worker connects to.
public struct RouterSpec: Hashable, Sendable {
    public let name: String
    public let node: String
    /// Clients (CLI, HTTP front ends) connect here.
    public let clientEndpoint: Endpoint
    /// Every encoder, stage and decoder connects its DEALER here; heartbeats flow here too.
    public let backendEndpoint: Endpoint
}

/// One pipeline stage: a contiguous slice of the transformer's layers.
public struct StageSpec: Hashable, Sendable {
    public let name: String
    public let node: String
    /// Position in the pipeline, 0-based. Stage 0 owns the embeddings, the last stage the heads.
    public let index: Int
    /// Bound by this stage: the previous stage pushes activations here, and for stage 0
    /// the last stage pushes sampled tokens here.
    public let dataEndpoint: Endpoint
    /// `[start, end)` as written in the file; nil with `split = "even"` (see
    /// `ClusterSpec.resolvedLayerRanges(totalLayers:)`).
    public let layers: Range<Int>?
}

/// One encoder or decoder replica. Replicas bind nothing: they connect to the router.
public struct ReplicaSpec: Hashable, Sendable {
    public let name: String
    public let node: String
    public let role: ProcessRole
    /// 0-based number among the replicas of its role, across the whole file.
    public let index: Int
}

/// Any process, seen uniformly: what `up`, `render` and `check` iterate over.
public struct ClusterProcess: Hashable, Sendable {
    public let name: String
    public let role: ProcessRole
    public let node: String
    /// The endpoints this process binds, keyed by their file key (`client_endpoint`).
    public let boundEndpoints: [NamedEndpoint]
}

public struct NamedEndpoint: Hashable, Sendable {
    public let key: String
    public let endpoint: Endpoint
}
