// Router <-> image encoder / image decoder bodies (stateless, idempotent). The payload
// travels in the tensors; the comments name them as `proto/janus.proto` does.

/// Tensors: `pixels` f32 [n, 3, S, S].
public struct EncodeRequest: Sendable, Equatable {
    public init() {}
}

/// Tensors: `embeddings` f32 [n, N, hidden].
public struct EncodeResult: Sendable, Equatable {
    public init() {}
}

/// Tensors: `codes` i64 [B, h·w] for a VQ decoder, or `latents` f32 [B, C, h, w] (the
/// latent grid is h × w) for a VAE decoder.
public struct DecodeRequest: Sendable, Equatable {
    public var gridHeight: UInt32
    public var gridWidth: UInt32

    public init(gridHeight: UInt32 = 0, gridWidth: UInt32 = 0) {
        self.gridHeight = gridHeight
        self.gridWidth = gridWidth
    }
}

/// Tensors: `png.<i>` u8 [bytes], one per image.
public struct DecodeResult: Sendable, Equatable {
    public init() {}
}
