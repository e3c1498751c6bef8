import JanusTensor

/// The SDXL-VAE mid block's attention (diffusers `Attention` as `UNetMidBlock2D` builds
/// it for the VAE): one head as wide as the channels, over all h·w pixels,
///
///     y = x + to_out(softmax(q kᵀ / √C) v),   q, k, v = to_q/to_k/to_v(group_norm(x))
///
/// with the pixels as tokens (`[h·w, C]`) and the projections as `Linear`s. Old diffusers
/// checkpoints name them `query`, `key`, `value`, `proj_attn` (diffusers renames them on
/// load); both spellings are read.
public struct VAEAttention: Sendable {
    public let groupNorm: GroupNorm
    public let toQ: Linear
    public let toK: Linear
    public let toV: Linear
    /// `to_out.0` (`to_out.1` is a parameter-free dropout).
    public let toOut: Linear

    public var channels: Int { toQ.outFeatures }

    /// Query rows per attention block: the score matrix of a 1024 px image (128² pixels)
    /// would take 1 GiB at once; 64 MiB blocks give the same numbers.
    static let maxScoreElements = 1 << 24

    public init(_ weights: Weights, channels: Int, groups: Int, eps: Float) throws {
        groupNorm = try GroupNorm(weights.scoped("group_norm"), groups: groups, channels: channels, eps: eps)
        let deprecated = !weights.contains("to_q.weight") && weights.contains("query.weight")
        func projection(_ current: String, _ old: String) throws -> Linear {
            try Linear(weights.scoped(deprecated ? old : current), in: channels, out: channels)
        }
        toQ = try projection("to_q", "query")
        toK = try projection("to_k", "key")
        toV = try projection("to_v", "value")
        toOut = try projection("to_out.0", "proj_attn")
    }

    /// `x` `[N, C, h, w]` → the same shape, residual included.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == channels,
                     "VAEAttention: expected [N, \(channels), h, w], got \(x.shape)")
        let (batch, c, pixels) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let normed = groupNorm(x)
        let output = Tensor(zeros: x.shape)
        let blockRows = max(1, Self.maxScoreElements / pixels)
        for image in 0..<batch {
            let tokens = permute(normed[image].reshaped([c, pixels]), [1, 0])      // [hw, C]
            let (q, k, v) = (toQ(tokens), toK(tokens), toV(tokens))
            let keys = k.reshaped([pixels, 1, c]), values = v.reshaped([pixels, 1, c])
            let attended = Tensor(zeros: [pixels, 1, c])
            for start in stride(from: 0, to: pixels, by: blockRows) {
                let rows = start..<min(start + blockRows, pixels)
                scaledDotProductAttention(query: q.reshaped([pixels, 1, c]).rows(rows), key: keys, value: values,
                                          causal: false, into: attended.rows(rows))
            }
            let projected = toOut(attended.reshaped([pixels, c]))
            let residual = permute(projected, [1, 0]).reshaped([c, x.shape[2], x.shape[3]])
            add(residual, x[image], into: output[image])
        }
        return output
    }
}
