import JanusTensor

/// Where one received tensor lies, once its `TensorRef` has passed every check.
struct TensorLayout {
    var name: String
    var dtype: DType
    var shape: [Int]
    /// Index in the multipart message (1-based: frame 0 is the header).
    var frame: Int
    var byteCount: Int
}

/// Checks the header's tensor references against `limits` and against the frames that
/// actually arrived (`frameByteCounts[0]` is the header), before any tensor memory is
/// allocated: every size is computed with overflow checks, every frame after the header
/// must be described by exactly one reference and hold exactly the declared bytes.
func checkTensorLayout(_ references: [TensorReference], frameByteCounts: [Int],
                       limits: WireLimits) throws(WireError) -> [TensorLayout] {
    let frameCount = frameByteCounts.count
    guard references.count <= limits.maxTensors else {
        throw .malformed("header describes \(references.count) tensors; the limit is \(limits.maxTensors)")
    }
    var layouts: [TensorLayout] = []
    layouts.reserveCapacity(references.count)
    var indexByName: [String: Int] = [:]
    var nameByFrame: [Int: String] = [:]
    var totalElements: UInt64 = 0
    var totalBytes: UInt64 = 0
    // Limits are configurable; whatever they say, element counts times the largest dtype
    // size (8) and byte counts must fit an Int.
    let elementLimit = min(limits.maxElements, UInt64(Int.max / 8))
    let byteLimit = min(limits.maxTensorBytes, UInt64(Int.max))

    for (index, reference) in references.enumerated() {
        let name = quoted(reference.name)
        guard !reference.name.isEmpty else { throw .malformed("tensors[\(index)] has an empty name") }
        if let earlier = indexByName.updateValue(index, forKey: reference.name) {
            throw .malformed("tensors[\(earlier)] and tensors[\(index)] are both named \(name)")
        }
        guard let dtype = DType(wireNumber: reference.dtypeNumber) else {
            throw .malformed(reference.dtypeNumber == 0
                ? "tensor \(name) has no dtype (DTYPE_UNSPECIFIED)"
                : "tensor \(name) has unknown dtype \(reference.dtypeNumber)")
        }
        let shape = reference.shape
        guard shape.count <= limits.maxRank else {
            throw .malformed("tensor \(name) has \(shape.count) dimensions; the limit is \(limits.maxRank)")
        }
        // Sizes are bounded with the zero dimensions left out: a [0, 2^40, 2^40] tensor is
        // empty, but a service slicing it would still multiply the other dimensions, and
        // every such product must fit an Int.
        var sizeWithoutZeros: UInt64 = 1
        for (axis, dimension) in shape.enumerated() {
            guard dimension <= limits.maxDimension else {
                throw .malformed("tensor \(name) dimension \(axis) is \(dimension); the limit is \(limits.maxDimension)")
            }
            guard dimension > 0 else { continue }
            let (product, overflow) = sizeWithoutZeros.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= elementLimit else {
                throw .malformed("tensor \(name) shape \(shape) has too many elements; the limit is \(elementLimit)")
            }
            sizeWithoutZeros = product
        }
        let elements = shape.contains(0) ? 0 : sizeWithoutZeros
        // Neither sum can overflow: each term is at most the (Int-sized) limit.
        totalElements += elements
        totalBytes += elements * UInt64(dtype.size)
        guard totalElements <= elementLimit else {
            throw .malformed("tensor \(name) \(shape) brings the message to \(totalElements) elements; "
                                + "the limit is \(elementLimit)")
        }
        guard totalBytes <= byteLimit else {
            throw .malformed("tensor \(name) \(shape) \(dtype) brings the message to \(totalBytes) bytes; "
                                + "the limit is \(byteLimit)")
        }

        let frame = Int(reference.frame)
        guard frame != 0 else { throw .malformed("tensor \(name) refers to frame 0, which is the header") }
        guard frame < frameCount else {
            throw .malformed("tensor \(name) refers to frame \(frame) but the message has only \(frameCount) frames")
        }
        if let other = nameByFrame.updateValue(reference.name, forKey: frame) {
            throw .malformed("tensors \(quoted(other)) and \(name) both refer to frame \(frame)")
        }
        let byteCount = Int(elements) * dtype.size
        guard frameByteCounts[frame] == byteCount else {
            throw .malformed("tensor \(name) declares \(shape) \(dtype) = \(byteCount) bytes "
                                + "but frame \(frame) has \(frameByteCounts[frame]) bytes")
        }
        layouts.append(TensorLayout(name: reference.name, dtype: dtype, shape: shape.map { Int($0) },
                                    frame: frame, byteCount: byteCount))
    }
    // Each reference names a distinct frame in 1..<frameCount, so any frame left over is
    // one nothing describes.
    if let unreferenced = (1..<max(frameCount, 1)).first(where: { nameByFrame[$0] == nil }) {
        throw .malformed("frame \(unreferenced) is not described by any tensor "
                            + "(\(frameCount - 1) tensor frames, \(references.count) tensors)")
    }
    return layouts
}
