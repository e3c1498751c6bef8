import JanusTensor

/// Columns `range` of axis 1 of `x` `[N, T, ...]` as a fresh `[N, range.count, ...]`.
func sliceAxis1(_ x: Tensor, _ range: Range<Int>) -> Tensor {
    let result = Tensor(zeros: [x.shape[0], range.count] + x.shape.dropFirst(2))
    for row in 0..<x.shape[0] { result[row].assign(x[row].rows(range)) }
    return result
}

/// `[N, C, H, W]` from the channels-last grids the UViT works on.
func channelsFirst(_ x: Tensor) -> Tensor { nhwcToNchw(x) }
