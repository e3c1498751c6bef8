import JanusCluster
import JanusWire

/// Where a pipeline stage sits: its index, its layers of a model with a known depth,
/// the endpoint it binds, and where its output goes.
public struct StagePlacement: Sendable, Equatable {
    public let index: Int
    public let count: Int
    public let layers: Range<Int>
    /// What this stage binds for its PULL socket.
    public let bindAddress: String
    /// The same endpoint as peers connect to it (announced in `Hello`).
    public let dataEndpoint: String
    /// The next stage's data endpoint, or stage 0's for the last stage; nil for a single
    /// stage, which keeps the loop local.
    public let downstreamEndpoint: String?

    public var isFirst: Bool { index == 0 }
    public var isLast: Bool { index == count - 1 }

    /// The layers come from the cluster file (`layers = [a, b]` or `split = "even"`) and
    /// must cover exactly the model's `totalLayers`.
    public init(settings: WorkerSettings, totalLayers: Int) throws(SettingsError) {
        let cluster = settings.cluster
        guard let stage = cluster.stage(named: settings.name) else {
            throw SettingsError("\"\(settings.name)\" is not a stage of \(cluster.displayPath)")
        }
        do {
            layers = try cluster.layerRange(of: stage, totalLayers: totalLayers)
        } catch {
            throw SettingsError("\(error) (model at \(settings.modelDirectory))")
        }
        index = stage.index
        count = cluster.stages.count
        bindAddress = stage.dataEndpoint.bindAddress
        dataEndpoint = stage.dataEndpoint.description
        downstreamEndpoint = count == 1 ? nil : cluster.downstreamEndpoint(of: stage).description
    }

    var stageInfo: StageInfo {
        StageInfo(index: UInt32(index), count: UInt32(count), firstLayer: UInt32(layers.lowerBound),
                  endLayer: UInt32(layers.upperBound), dataEndpoint: dataEndpoint)
    }
}
