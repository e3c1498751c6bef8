import JanusTensor

/// PyTorch can save a view whose strides are not row-major (a transposed weight, a
/// slice). `Tensor` is always dense row-major, so such a tensor is materialised as a
/// contiguous copy when it is read; contiguous tensors stay zero-copy views.
enum StridedCopy {
    /// Whether `strides` are the row-major strides of `shape`. Dimensions of size 0 or 1
    /// never move the index, so their stride is irrelevant (torch leaves them arbitrary).
    static func isRowMajor(shape: [Int], strides: [Int]) -> Bool {
        // An empty view reads nothing; returning early also keeps the running product
        // below the (validated) element count, so it cannot overflow.
        if shape.contains(0) { return true }
        var expected = 1
        for axis in shape.indices.reversed() {
            if shape[axis] > 1 && strides[axis] != expected { return false }
            expected *= shape[axis]
        }
        return true
    }

    /// How many elements of storage, from the first, the view reaches (the largest
    /// offset plus one; 0 for an empty view); nil on a negative stride or overflow.
    static func elementExtent(shape: [Int], strides: [Int]) -> Int? {
        guard shape.count == strides.count, strides.allSatisfy({ $0 >= 0 }) else { return nil }
        if shape.contains(0) { return 0 }
        var largestOffset = 0
        for (dimension, stride) in zip(shape, strides) {
            let (step, overflow) = (dimension - 1).multipliedReportingOverflow(by: stride)
            guard dimension >= 1, !overflow else { return nil }
            let (sum, sumOverflow) = largestOffset.addingReportingOverflow(step)
            guard !sumOverflow else { return nil }
            largestOffset = sum
        }
        return largestOffset + 1
    }

    /// A fresh row-major tensor gathered from the strided elements at `byteOffset` in
    /// `storage`. The caller has checked `elementExtent` against the storage.
    static func contiguousTensor(from storage: TensorStorage, at byteOffset: Int, strides: [Int],
                                 dtype: DType, shape: [Int]) -> Tensor {
        let result = Tensor(zeros: shape, dtype: dtype)
        let count = result.elementCount
        guard count > 0 else { return result }
        let elementSize = dtype.size
        let source = UnsafeRawPointer(storage.baseAddress + byteOffset)
        let destination = result.storage.baseAddress
        // Walk the destination in order, advancing a multi-index like an odometer and
        // keeping the matching source element offset up to date.
        var index = [Int](repeating: 0, count: shape.count)
        var sourceElement = 0
        for element in 0..<count {
            (destination + element * elementSize)
                .copyMemory(from: source + sourceElement * elementSize, byteCount: elementSize)
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                sourceElement += strides[axis]
                if index[axis] < shape[axis] { break }
                sourceElement -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return result
    }
}
