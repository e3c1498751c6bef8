import JanusTensor

/// What a checkpoint says about one tensor, without touching its data.
public struct TensorInfo: Sendable, Equatable {
    public let name: String
    public let dtype: DType
    public let shape: [Int]
    /// Bytes of the tensor in row-major order (`elements × dtype.size`).
    public var byteCount: Int
    /// The file holding the tensor, relative to the checkpoint directory.
    public let file: String

    public init(name: String, dtype: DType, shape: [Int], byteCount: Int, file: String) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.byteCount = byteCount
        self.file = file
    }

    public var elementCount: Int { shape.reduce(1, *) }
}

/// A single checkpoint file whose tensors can be listed and read.
public protocol TensorFile: Sendable {
    /// The path the file was opened with.
    var path: String { get }
    /// Every tensor name, sorted.
    var tensorNames: [String] { get }
    func info(_ name: String) -> TensorInfo?
    /// The tensor in its stored dtype; a view into the mapped file where possible.
    func tensor(_ name: String) throws -> Tensor
}

/// Shape arithmetic on file-derived numbers, which must never trap.
enum ShapeArithmetic {
    /// The element count of `shape`, or nil when a dimension is negative or the product
    /// overflows.
    static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dimension in shape {
            guard dimension >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard !overflow else { return nil }
            count = product
        }
        return count
    }

    /// The byte count of `shape` in `dtype`, or nil as for `elementCount`.
    static func byteCount(_ shape: [Int], dtype: DType) -> Int? {
        guard let count = elementCount(shape) else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.size)
        return overflow ? nil : bytes
    }
}
