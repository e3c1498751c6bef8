import JanusTensor

/// The SigLIP ViT of the understanding path (reference `siglip_vit.VisionTransformer`
/// built by `create_siglip_vit`, wrapped by `CLIPVisionTower`), stored under
/// `vision_model.vision_tower`:
///
///     x = patch_embed(pixels) + pos_embed        // [B, N, width], no class token
///     x = blocks(x)                              // pre-norm transformer blocks
///     features = norm(x)                         // final LayerNorm, always applied
///
/// `select_layer` truncates the stack (the reference builds only that many blocks and
/// still applies `norm`); `select_feature` is forced to "same" for SigLIP towers, so
/// every token is kept. The `attn_pool` head is never run (`ignore_head=True`).
public struct SigLIPVisionTower: Sendable {
    public let configuration: VisionConfiguration
    public let patchEmbed: PatchEmbed
    /// Learned absolute positions `[1, N, width]`, one per patch (no class token).
    public let posEmbed: Tensor
    public let blocks: [Block]
    public let norm: LayerNorm

    /// Every LayerNorm of the tower (timm `partial(nn.LayerNorm, eps=1e-6)`).
    public static let layerNormEps: Float = 1e-6

    /// `weights` scoped at `vision_model.vision_tower`.
    public init(weights: Weights, configuration: VisionConfiguration) throws {
        let c = configuration
        // create_siglip_vit asserts a name from SigLIP_MODEL_CONFIG; other towers (SAM,
        // HF CLIP) take different code paths in the reference.
        guard c.modelName.hasPrefix("siglip") else { throw VisionError.unsupportedModel(c.modelName) }
        self.configuration = c
        patchEmbed = try PatchEmbed(weights.scoped("patch_embed"), width: c.width, patchSize: c.patchSize)
        posEmbed = try weights("pos_embed", shape: [1, c.numImageTokens, c.width])
        blocks = try (0..<Self.depth(for: c)).map { index in
            try Block(weights.scoped("blocks").scoped(index), width: c.width, heads: c.heads, mlpDim: c.mlpDim)
        }
        norm = try LayerNorm(weights.scoped("norm"), dimensions: c.width, eps: Self.layerNormEps)
    }

    /// Blocks the reference builds for `select_layer` (`create_siglip_vit`):
    /// `layers + select_layer + 1` for `select_layer ≤ 0` (−1: all of them), else
    /// `select_layer`, never more than `layers`.
    public static func depth(for configuration: VisionConfiguration) -> Int {
        let (layers, select) = (configuration.layers, configuration.selectLayer)
        return select <= 0 ? min(layers, layers + select + 1) : min(layers, select)
    }

    /// The pixel shape this tower takes, `[B, 3, S, S]`, as text for errors.
    public var expectedPixelShape: String { "[B, 3, \(configuration.imageSize), \(configuration.imageSize)]" }

    /// Image features `[B, N, width]` for normalised pixels `[B, 3, S, S]` (any float
    /// dtype). A wrong shape or dtype throws `VisionError`.
    public func encode(pixels: Tensor) throws -> Tensor {
        var x = embed(try validated(pixels))
        for block in blocks { x = block(x) }
        return norm(x)
    }

    public func callAsFunction(_ pixels: Tensor) throws -> Tensor { try encode(pixels: pixels) }

    /// Patch embedding plus positions (`_pos_embed`): the input of block 0. Expects
    /// pixels that `encode` would accept, as f32.
    public func embed(_ pixels: Tensor) -> Tensor {
        let x = patchEmbed(pixels)
        add(x, posEmbed.reshaped(Array(posEmbed.shape.dropFirst())), into: x)
        return x
    }

    /// `pixels` as an aligned f32 `[B, 3, S, S]`, or the reason it cannot be one.
    func validated(_ pixels: Tensor) throws -> Tensor {
        let size = configuration.imageSize
        guard pixels.rank == 4, pixels.shape[1] == PatchEmbed.channels,
              pixels.shape[2] == size, pixels.shape[3] == size else {
            throw VisionError.pixelShape(expected: expectedPixelShape, got: pixels.shape)
        }
        guard pixels.dtype.isFloatingPoint else { throw VisionError.pixelDType(pixels.dtype) }
        // Kernels read f32 at 4-byte boundaries; a tensor viewed straight from a mapped
        // file may sit anywhere.
        let aligned = Int(bitPattern: pixels.baseAddress) % MemoryLayout<Float>.alignment == 0
        if pixels.dtype == .f32 { return aligned ? pixels : pixels.copy() }
        return pixels.converted(to: .f32)
    }
}

extension SigLIPVisionTower {
    /// timm `PatchEmbed`: a `patch × patch` convolution with stride `patch`, flattened
    /// row-major over the grid, `[B, 3, S, S]` → `[B, (S/patch)², width]`.
    public struct PatchEmbed: Sendable {
        public static let channels = 3
        public let proj: Conv2d

        public init(_ weights: Weights, width: Int, patchSize: Int) throws {
            proj = try Conv2d(weights.scoped("proj"), in: Self.channels, out: width,
                              kernel: patchSize, stride: patchSize)
        }

        public func callAsFunction(_ pixels: Tensor) -> Tensor {
            let grid = proj(pixels)                                 // [B, width, g, g]
            let (batch, width) = (grid.shape[0], grid.shape[1])
            let flat = grid.reshaped([batch, width, grid.shape[2] * grid.shape[3]])
            return permute(flat, [0, 2, 1])                         // [B, N, width]
        }
    }

    /// Multi-head self-attention with a fused `qkv` projection (bias on), bidirectional,
    /// scale `1/√head_dim`, then `proj`.
    public struct Attention: Sendable {
        public let heads: Int
        public let qkv: Linear
        public let proj: Linear

        public init(_ weights: Weights, width: Int, heads: Int) throws {
            self.heads = heads
            qkv = try Linear(weights.scoped("qkv"), in: width, out: 3 * width)
            proj = try Linear(weights.scoped("proj"), in: width, out: width)
        }

        public func callAsFunction(_ x: Tensor) -> Tensor {
            let (batch, tokens, width) = (x.shape[0], x.shape[1], x.shape[2])
            // qkv(x).reshape(B, N, 3, H, D): each position's q, k, v side by side, read in place.
            let projected = qkv(x)
            let mixed = Tensor(zeros: [batch, tokens, heads, width / heads])
            for image in 0..<batch {
                scaledDotProductAttention(packedQKV: projected[image], heads: heads, into: mixed[image])
            }
            return proj(mixed.reshaped([batch, tokens, width]))
        }
    }

    /// timm `Mlp`: `fc2(gelu(fc1(x)))` with the exact (erf) GELU.
    public struct Mlp: Sendable {
        public let fc1: Linear
        public let fc2: Linear

        public init(_ weights: Weights, width: Int, hidden: Int) throws {
            fc1 = try Linear(weights.scoped("fc1"), in: width, out: hidden)
            fc2 = try Linear(weights.scoped("fc2"), in: hidden, out: width)
        }

        public func callAsFunction(_ x: Tensor) -> Tensor {
            let hidden = fc1(x)
            gelu(hidden, into: hidden)
            return fc2(hidden)
        }
    }

    /// Pre-norm transformer block: `x + attn(norm1(x))`, then `x + mlp(norm2(x))`.
    public struct Block: Sendable {
        public let norm1: LayerNorm
        public let attn: Attention
        public let norm2: LayerNorm
        public let mlp: Mlp

        public init(_ weights: Weights, width: Int, heads: Int, mlpDim: Int) throws {
            let eps = SigLIPVisionTower.layerNormEps
            norm1 = try LayerNorm(weights.scoped("norm1"), dimensions: width, eps: eps)
            attn = try Attention(weights.scoped("attn"), width: width, heads: heads)
            norm2 = try LayerNorm(weights.scoped("norm2"), dimensions: width, eps: eps)
            mlp = try Mlp(weights.scoped("mlp"), width: width, hidden: mlpDim)
        }

        public func callAsFunction(_ x: Tensor) -> Tensor {
            let x = residual(x, attn(norm1(x)))
            return residual(x, mlp(norm2(x)))
        }
    }
}

/// `x + update`, written over `update` (a fresh activation the caller no longer needs).
private func residual(_ x: Tensor, _ update: Tensor) -> Tensor {
    add(update, x, into: update)
    return update
}
