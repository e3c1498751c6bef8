import Foundation
import JanusTensor

// The building blocks of the VQ-16 decoder (reference: janus/models/vq_model.py).
// Activations are NCHW f32; weights stay in their stored dtype. Every block returns a
// fresh tensor and never writes into its input, so a caller may keep (or inspect) any
// intermediate it was handed; only `ResnetBlock(overwriting:)` says otherwise.

/// `Normalize(C)`: `nn.GroupNorm(num_groups=32, C, eps=1e-6, affine=True)`.
let vqNormGroups = 32
let vqNormEps: Float = 1e-6

func vqGroupNorm(_ weights: Weights, channels: Int) throws -> GroupNorm {
    try GroupNorm(weights, groups: vqNormGroups, channels: channels, eps: vqNormEps)
}

extension GroupNorm {
    /// The normalisation into `output`, then SiLU if `thenSiLU`; `output` may be `x`
    /// itself (in place).
    func callAsFunction(_ x: Tensor, into output: Tensor, thenSiLU: Bool = false) {
        groupNorm(x, groups: groups, weight: weight, bias: bias, eps: eps, into: output, thenSiLU: thenSiLU)
    }
}

/// `ResnetBlock`: `x + conv2(silu(norm2(conv1(silu(norm1(x))))))`, the skip path through
/// a 1×1 `nin_shortcut` when the channel count changes.
///
/// diffusers' `ResnetBlock2D` without a time embedding (the SDXL-VAE decoder's blocks)
/// computes exactly this with `groups` from its config and the shortcut named
/// `conv_shortcut`, so it is built from the same type.
public struct ResnetBlock: Sendable {
    public let norm1: GroupNorm
    public let conv1: Conv2d
    public let norm2: GroupNorm
    public let conv2: Conv2d
    public let ninShortcut: Conv2d?

    public var inChannels: Int { conv1.weight.shape[1] }
    public var outChannels: Int { conv2.weight.shape[0] }

    public init(_ weights: Weights, in inChannels: Int, out outChannels: Int, groups: Int = 32,
                eps: Float = 1e-6, shortcut: String = "nin_shortcut") throws {
        norm1 = try GroupNorm(weights.scoped("norm1"), groups: groups, channels: inChannels, eps: eps)
        conv1 = try Conv2d(weights.scoped("conv1"), in: inChannels, out: outChannels, kernel: 3, padding: 1)
        norm2 = try GroupNorm(weights.scoped("norm2"), groups: groups, channels: outChannels, eps: eps)
        conv2 = try Conv2d(weights.scoped("conv2"), in: outChannels, out: outChannels, kernel: 3, padding: 1)
        // The reference builds the shortcut exactly when the widths differ.
        ninShortcut = inChannels == outChannels ? nil
            : try Conv2d(weights.scoped(shortcut), in: inChannels, out: outChannels, kernel: 1)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        // Each reassignment drops the previous activation, so at most x and two
        // full-size temporaries are alive at once.
        var h = norm1.thenSiLU(x)
        h = conv1(h)
        norm2(h, into: h, thenSiLU: true)
        h = conv2(h)
        if let ninShortcut {
            add(h, ninShortcut(x), into: h)
        } else {
            add(h, x, into: h)
        }
        return h
    }

    /// The block over an `x` that nothing reads afterwards, whose memory it may take: with
    /// equal widths under bf16 convolutions the norms run as the convolutions stage their
    /// inputs and conv2 adds its result into `x` itself, so x and one temporary are alive
    /// instead of x and two (75 MB each at the VQ decoder's 384 px level, the peak of a
    /// whole image's memory). The values are `callAsFunction`'s, bit for bit. `compute`
    /// (default: `ComputeMode.processDefault`) says whether the fused path runs; otherwise
    /// this is `callAsFunction`, in the process's mode.
    public func callAsFunction(overwriting x: Tensor, compute: ComputeMode? = nil) -> Tensor {
        guard ninShortcut == nil, conv2.stride == 1, x.isWritable,
              convolutionTransformsInputWhileStaging(compute: compute) else { return self(x) }
        let h = conv1(x, normalizedBy: norm1, compute: compute)
        conv2d(h, normalizedBy: norm2.applied(thenSiLU: true), weight: conv2.weight, bias: conv2.bias,
               padding: conv2.padding, into: x, accumulating: true)
        return x
    }
}

/// `AttnBlock`: single-head self-attention over the h·w positions with 1×1-conv
/// projections, `x + proj_out(v · softmax(qᵀk / √C)ᵀ)`.
public struct AttnBlock: Sendable {
    public let norm: GroupNorm
    public let q: Conv2d
    public let k: Conv2d
    public let v: Conv2d
    public let projOut: Conv2d

    public var channels: Int { q.weight.shape[0] }

    public init(_ weights: Weights, channels: Int) throws {
        norm = try vqGroupNorm(weights.scoped("norm"), channels: channels)
        q = try Conv2d(weights.scoped("q"), in: channels, out: channels, kernel: 1)
        k = try Conv2d(weights.scoped("k"), in: channels, out: channels, kernel: 1)
        v = try Conv2d(weights.scoped("v"), in: channels, out: channels, kernel: 1)
        projOut = try Conv2d(weights.scoped("proj_out"), in: channels, out: channels, kernel: 1)
    }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == channels,
                     "AttnBlock: expected [N, \(channels), h, w], got \(x.shape)")
        let (batch, c, positions) = (x.shape[0], x.shape[1], x.shape[2] * x.shape[3])
        let attended: Tensor
        do {
            let normed = norm(x)
            let (queries, keys, values) = (q(normed), k(normed), v(normed))
            attended = Tensor(zeros: x.shape)
            // torch multiplies by the Python float int(c) ** -0.5, rounded to f32.
            let factor = Float(1 / Double(c).squareRoot())
            for image in 0..<batch {
                // [C, hw] views of this image's projections.
                let query = queries[image].reshaped([c, positions])
                let key = keys[image].reshaped([c, positions])
                let value = values[image].reshaped([c, positions])
                // scores[i, j] = Σ_c q[c, i] k[c, j], softmax over j.
                let scores = matmul(permute(query, [1, 0]), key)
                scale(scores, by: factor, into: scores)
                softmax(scores, into: scores)
                // out[c, j] = Σ_i v[c, i] scores[j, i]
                matmulTransposed(value, scores, into: attended[image].reshaped([c, positions]))
            }
        }
        let output = projOut(attended)
        add(output, x, into: output)
        return output
    }
}

/// `Upsample` (with conv): nearest-neighbour ×2, then a 3×3 conv (also diffusers'
/// `Upsample2D(use_conv=True)`, stored as `upsamplers.0.conv`).
public struct Upsample: Sendable {
    public let conv: Conv2d

    public init(_ weights: Weights, channels: Int) throws {
        conv = try Conv2d(weights.scoped("conv"), in: channels, out: channels, kernel: 3, padding: 1)
    }

    /// Under bf16 convolutions the upsampling happens as the convolution stages its input:
    /// the upsampled activation (four times the input) is never held.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard conv.stride == 1, convolutionTransformsInputWhileStaging() else { return conv(upsampleNearest2x(x)) }
        return conv2d(upsampling: x, weight: conv.weight, bias: conv.bias, padding: conv.padding)
    }
}

extension Conv2d {
    /// `self(silu(norm(x)))`; under bf16 convolutions (`compute`, default the process's)
    /// the norm and SiLU run as the input is staged, so they are never held in full
    /// (otherwise the two ops run one after the other in the process's mode).
    func callAsFunction(_ x: Tensor, normalizedBy norm: GroupNorm, compute: ComputeMode? = nil) -> Tensor {
        guard stride == 1, convolutionTransformsInputWhileStaging(compute: compute) else { return self(norm.thenSiLU(x)) }
        return conv2d(x, normalizedBy: norm.applied(thenSiLU: true), weight: weight, bias: bias, padding: padding)
    }
}
