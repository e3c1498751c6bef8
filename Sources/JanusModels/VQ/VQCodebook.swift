import JanusTensor

/// `VectorQuantizer` as used for decoding (`gen_vision_model.quantize`): the codebook,
/// l2-normalised once at load exactly as `get_codebook_entry` does on every call
/// (`F.normalize(embedding.weight, p=2, dim=-1)`, eps 1e-12, in f32).
public struct VQCodebook: Sendable {
    /// `[codebookSize, codebookDim]` f32, every row of unit length.
    public let embedding: Tensor

    public var size: Int { embedding.shape[0] }
    public var dimension: Int { embedding.shape[1] }

    public init(_ weights: Weights, size: Int, dimension: Int) throws {
        let stored = try weights("embedding.weight", shape: [size, dimension])
        // A fresh aligned f32 copy (the stored table may be bf16 or an unaligned mapping).
        embedding = l2Normalize(Tensor(shape: stored.shape, stored.floats()), eps: 1e-12)
    }

    /// Checks one image's codes against a grid: the count must be `gridHeight · gridWidth`
    /// and every code inside the codebook. `image` only labels the error.
    public func validate(codes: [Int], gridHeight: Int, gridWidth: Int, image: Int = 0) throws {
        guard gridHeight > 0, gridWidth > 0 else {
            throw VQDecodeError.invalidGrid(height: gridHeight, width: gridWidth)
        }
        let (cells, overflow) = gridHeight.multipliedReportingOverflow(by: gridWidth)
        guard !overflow else { throw VQDecodeError.invalidGrid(height: gridHeight, width: gridWidth) }
        guard codes.count == cells else {
            throw VQDecodeError.wrongCodeCount(image: image, count: codes.count,
                                               gridHeight: gridHeight, gridWidth: gridWidth)
        }
        if let position = codes.firstIndex(where: { $0 < 0 || $0 >= size }) {
            throw VQDecodeError.codeOutOfRange(image: image, position: position, code: codes[position],
                                               codebookSize: size)
        }
    }

    /// `get_codebook_entry(codes, shape=[1, D, h, w])`: the vectors of `codes` (row-major
    /// over the grid) as `[1, codebookDimension, gridHeight, gridWidth]`.
    public func callAsFunction(codes: [Int], gridHeight: Int, gridWidth: Int) throws -> Tensor {
        try validate(codes: codes, gridHeight: gridHeight, gridWidth: gridWidth)
        let vectors = JanusTensor.embedding(ids: codes, table: embedding)  // [h·w, D]
        return permute(vectors, [1, 0]).reshaped([1, dimension, gridHeight, gridWidth])
    }
}
