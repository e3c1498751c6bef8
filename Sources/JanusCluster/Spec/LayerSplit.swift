/// How the transformer's layers are divided among the pipeline stages.
public enum LayerSplit: Hashable, Sendable {
    /// `split = "even"`: decided when the stages start and the model's depth is known,
    /// so one file serves models of any depth.
    case even
    /// `layers = [start, end]` on every stage, already checked to be contiguous from 0.
    case explicit([Range<Int>])

    /// `totalLayers` layers over `stageCount` stages, as equal as possible. The earlier
    /// stages take the extra layers: the last stage also runs the heads and sampling.
    public static func evenRanges(totalLayers: Int, stageCount: Int) -> [Range<Int>] {
        precondition(stageCount > 0 && totalLayers >= stageCount)
        let base = totalLayers / stageCount
        let extra = totalLayers % stageCount
        var ranges: [Range<Int>] = []
        var start = 0
        for stage in 0..<stageCount {
            let count = base + (stage < extra ? 1 : 0)
            ranges.append(start..<start + count)
            start += count
        }
        return ranges
    }
}

extension ClusterSpec {
    /// Each stage's layers for a model with `totalLayers` layers, in stage order. Throws
    /// when the model does not fit: fewer layers than stages, or explicit ranges that do
    /// not end at the model's last layer.
    public func resolvedLayerRanges(totalLayers: Int) throws(ClusterFileError) -> [Range<Int>] {
        switch layerSplit {
        case .even:
            guard totalLayers >= stages.count else {
                throw layerError(key: "split", "cannot split \(totalLayers) layers evenly over \(stages.count) stages")
            }
            return LayerSplit.evenRanges(totalLayers: totalLayers, stageCount: stages.count)
        case .explicit(let ranges):
            let covered = ranges.last?.upperBound ?? 0
            guard covered == totalLayers else {
                throw layerError(key: "stages[\(ranges.count - 1)].layers",
                                 "the stages cover layers 0..<\(covered) but the model has \(totalLayers) layers")
            }
            return ranges
        }
    }

    /// The layers of one stage for a model with `totalLayers` layers.
    public func layerRange(of stage: StageSpec, totalLayers: Int) throws(ClusterFileError) -> Range<Int> {
        try resolvedLayerRanges(totalLayers: totalLayers)[stage.index]
    }

    private func layerError(key: String, _ message: String) -> ClusterFileError {
        ClusterFileError(ClusterProblem(file: displayPath, line: nil, key: key, message: message))
    }
}
