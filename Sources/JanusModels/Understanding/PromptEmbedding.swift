import JanusTensor

/// `prepare_inputs_embeds`: the prompt's token embeddings with image embeddings written
/// over the image-token positions, image after image, in order.
public enum PromptEmbedding {
    public enum Error: Swift.Error, CustomStringConvertible, Equatable {
        case imageCountMismatch(positions: Int, embeddings: Int)

        public var description: String {
            switch self {
            case let .imageCountMismatch(positions, embeddings):
                "the prompt has \(positions) image-token positions but \(embeddings) image embeddings were given"
            }
        }
    }

    /// - Parameters:
    ///   - ids: the expanded prompt `[T]`.
    ///   - imagePositions: `true` where an image embedding goes (`images_seq_mask`).
    ///   - imageEmbeddings: `[n, N, hidden]` (or `[n·N, hidden]`), from `ImageEncoder`.
    public static func splice(ids: [Int], imagePositions: [Bool], imageEmbeddings: Tensor?,
                              language: LanguageModel) throws -> Tensor {
        try splice(ids: ids, imagePositions: imagePositions, imageEmbeddings: imageEmbeddings,
                   embedTokens: language.embedTokens)
    }

    /// The same with only the token-embedding table (`[vocab, hidden]`), as a pipeline's
    /// first stage holds it.
    public static func splice(ids: [Int], imagePositions: [Bool], imageEmbeddings: Tensor?,
                              embedTokens: Tensor) throws -> Tensor {
        precondition(ids.count == imagePositions.count, "splice: \(ids.count) ids, \(imagePositions.count) mask entries")
        let hidden = embedTokens.shape[1]
        let positions = imagePositions.indices.filter { imagePositions[$0] }
        let rows = imageEmbeddings.map { $0.reshaped([$0.elementCount / hidden, hidden]) }
        guard positions.count == (rows?.shape[0] ?? 0) else {
            throw Error.imageCountMismatch(positions: positions.count, embeddings: rows?.shape[0] ?? 0)
        }
        // The reference zeroes negative ids before the lookup; image positions are
        // overwritten anyway.
        let embeddings = embedding(ids: ids.map { max($0, 0) }, table: embedTokens)
        if let rows {
            for (row, position) in positions.enumerated() { embeddings[position].assign(rows[row]) }
        }
        return embeddings
    }
}
